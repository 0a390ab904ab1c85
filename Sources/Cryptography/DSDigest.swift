import DNSWire

/// What this module can do with each DS digest type.
extension DigestType {
    /// The hash behind the digest type, nil when this module does not implement it.
    public var digestAlgorithm: DigestAlgorithm? {
        switch self {
        case .sha1: .sha1
        case .sha256: .sha256
        case .sha384: .sha384
        case .gostR341194, .unassigned: nil
        }
    }

    /// True when `DSDigest.compute` can make digests of this type.
    public var isSupported: Bool { digestAlgorithm != nil }
}

/// The digest field of a DS record (RFC 4034 §5.1.4):
///
///     digest = digest_algorithm( DNSKEY owner name | DNSKEY RDATA )
///
/// where the owner name is in canonical wire form (RFC 4034 §6.2: uncompressed, lower case).
/// Making the name canonical is the caller's job; this takes both parts as bytes.
public enum DSDigest {
    public static func compute(
        type: DigestType, ownerName canonicalOwnerWire: [UInt8], dnskeyRDATA: [UInt8]
    ) throws(CryptographyError) -> [UInt8] {
        guard let algorithm = type.digestAlgorithm else {
            throw CryptographyError(.unsupportedAlgorithm, "DS digest type \(type) is not supported")
        }
        let digest = MessageDigest(algorithm)
        digest.update(canonicalOwnerWire)
        digest.update(dnskeyRDATA)
        return digest.finalize()
    }

    /// True when `expected` (a DS record's digest field) is the digest of the DNSKEY.
    /// Unsupported digest types never match.
    public static func matches(
        _ expected: [UInt8], type: DigestType, ownerName canonicalOwnerWire: [UInt8], dnskeyRDATA: [UInt8]
    ) -> Bool {
        guard let actual = try? compute(type: type, ownerName: canonicalOwnerWire, dnskeyRDATA: dnskeyRDATA)
        else { return false }
        return actual == expected
    }
}
