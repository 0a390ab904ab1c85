/// DS digest types (IANA "Delegation Signer (DS) Resource Record Digest Algorithms"). Total,
/// like `DNSSECAlgorithm`: a DS of an unknown digest type is kept and skipped (RFC 4035 §5.2).
public enum DSDigestType: Hashable, Sendable, CustomStringConvertible {
    /// 1, SHA-1 (RFC 4034 §5.1.4).
    case sha1
    /// 2, SHA-256 (RFC 4509).
    case sha256
    /// 3, GOST R 34.11-94 (RFC 5933); not implemented.
    case gostR341194
    /// 4, SHA-384 (RFC 6605).
    case sha384
    /// Any other number.
    case unassigned(UInt8)

    public init(rawValue: UInt8) {
        switch rawValue {
        case 1: self = .sha1
        case 2: self = .sha256
        case 3: self = .gostR341194
        case 4: self = .sha384
        default: self = .unassigned(rawValue)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .sha1: 1
        case .sha256: 2
        case .gostR341194: 3
        case .sha384: 4
        case .unassigned(let value): value
        }
    }

    public var description: String {
        switch self {
        case .sha1: "SHA-1(1)"
        case .sha256: "SHA-256(2)"
        case .gostR341194: "GOST R 34.11-94(3)"
        case .sha384: "SHA-384(4)"
        case .unassigned(let value): "unassigned(\(value))"
        }
    }

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
        type: DSDigestType, ownerName canonicalOwnerWire: [UInt8], dnskeyRDATA: [UInt8]
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
        _ expected: [UInt8], type: DSDigestType, ownerName canonicalOwnerWire: [UInt8], dnskeyRDATA: [UInt8]
    ) -> Bool {
        guard let actual = try? compute(type: type, ownerName: canonicalOwnerWire, dnskeyRDATA: dnskeyRDATA)
        else { return false }
        return actual == expected
    }
}
