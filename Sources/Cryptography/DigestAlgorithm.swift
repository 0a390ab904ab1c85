internal import COpenSSL

/// The hash functions DNSSEC uses: SHA-1 (RSASHA1, NSEC3, DS type 1), SHA-256, SHA-384 and
/// SHA-512 (RFC 5702, RFC 6605, RFC 4509).
public enum DigestAlgorithm: Sendable, Hashable, CaseIterable {
    case sha1
    case sha256
    case sha384
    case sha512

    /// The digest length in bytes.
    public var outputSize: Int {
        switch self {
        case .sha1: 20
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// OpenSSL's name for the algorithm, as EVP_MD_fetch takes it.
    var openSSLName: String {
        switch self {
        case .sha1: "SHA1"
        case .sha256: "SHA256"
        case .sha384: "SHA384"
        case .sha512: "SHA512"
        }
    }

    /// The fetched EVP_MD. Fetching once avoids OpenSSL 3's per-call implicit fetch, which
    /// costs more than hashing a small RRset.
    var evpMD: OpaquePointer {
        switch self {
        case .sha1: FetchedDigests.shared.sha1
        case .sha256: FetchedDigests.shared.sha256
        case .sha384: FetchedDigests.shared.sha384
        case .sha512: FetchedDigests.shared.sha512
        }
    }
}

/// EVP_MD objects fetched once for the life of the process. A fetched EVP_MD is immutable and
/// reference counted inside OpenSSL, so sharing it across threads is safe.
private final class FetchedDigests: @unchecked Sendable {
    static let shared = FetchedDigests()

    let sha1: OpaquePointer
    let sha256: OpaquePointer
    let sha384: OpaquePointer
    let sha512: OpaquePointer

    private init() {
        sha1 = Self.fetch(.sha1)
        sha256 = Self.fetch(.sha256)
        sha384 = Self.fetch(.sha384)
        sha512 = Self.fetch(.sha512)
    }

    private static func fetch(_ algorithm: DigestAlgorithm) -> OpaquePointer {
        // The default provider always has these digests; without them nothing here can work.
        guard let md = EVP_MD_fetch(nil, algorithm.openSSLName, nil) else {
            fatalError("OpenSSL's default provider has no \(algorithm.openSSLName) digest")
        }
        return md
    }
}
