/// DNSSEC algorithm numbers (IANA "DNS Security Algorithm Numbers"; RFC 8624 §3.1 says which
/// to implement). Total: every octet maps to a case, unknown ones to `unassigned`, so a DNSKEY
/// or RRSIG of an algorithm we do not know is kept, and a zone signed only with such
/// algorithms is treated as insecure (RFC 4035 §5.2), not bogus.
public enum DNSSECAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// 1, RSA/MD5 (RFC 3110): must not be used (RFC 8624).
    case rsaMD5
    /// 3, DSA/SHA-1: must not be used for validation any more (RFC 8624).
    case dsa
    /// 5, RSA/SHA-1 (RFC 3110).
    case rsaSHA1
    /// 6, DSA-NSEC3-SHA1 (RFC 5155).
    case dsaNSEC3SHA1
    /// 7, RSASHA1-NSEC3-SHA1 (RFC 5155): RSA/SHA-1 under another number, for NSEC3 zones.
    case rsaSHA1NSEC3SHA1
    /// 8, RSA/SHA-256 (RFC 5702).
    case rsaSHA256
    /// 10, RSA/SHA-512 (RFC 5702).
    case rsaSHA512
    /// 12, GOST R 34.10-2001 (RFC 5933).
    case eccGOST
    /// 13, ECDSA on P-256 with SHA-256 (RFC 6605).
    case ecdsaP256SHA256
    /// 14, ECDSA on P-384 with SHA-384 (RFC 6605).
    case ecdsaP384SHA384
    /// 15, Ed25519 (RFC 8080).
    case ed25519
    /// 16, Ed448 (RFC 8080).
    case ed448
    /// Any other number (including reserved and private ones, 253 and 254).
    case unassigned(UInt8)

    /// The algorithm for a wire octet.
    public init(rawValue: UInt8) {
        switch rawValue {
        case 1: self = .rsaMD5
        case 3: self = .dsa
        case 5: self = .rsaSHA1
        case 6: self = .dsaNSEC3SHA1
        case 7: self = .rsaSHA1NSEC3SHA1
        case 8: self = .rsaSHA256
        case 10: self = .rsaSHA512
        case 12: self = .eccGOST
        case 13: self = .ecdsaP256SHA256
        case 14: self = .ecdsaP384SHA384
        case 15: self = .ed25519
        case 16: self = .ed448
        default: self = .unassigned(rawValue)
        }
    }

    /// The wire octet.
    public var rawValue: UInt8 {
        switch self {
        case .rsaMD5: 1
        case .dsa: 3
        case .rsaSHA1: 5
        case .dsaNSEC3SHA1: 6
        case .rsaSHA1NSEC3SHA1: 7
        case .rsaSHA256: 8
        case .rsaSHA512: 10
        case .eccGOST: 12
        case .ecdsaP256SHA256: 13
        case .ecdsaP384SHA384: 14
        case .ed25519: 15
        case .ed448: 16
        case .unassigned(let value): value
        }
    }

    /// The IANA mnemonic, as zone files and BIND's key files name the algorithm.
    public var mnemonic: String {
        switch self {
        case .rsaMD5: "RSAMD5"
        case .dsa: "DSA"
        case .rsaSHA1: "RSASHA1"
        case .dsaNSEC3SHA1: "DSA-NSEC3-SHA1"
        case .rsaSHA1NSEC3SHA1: "RSASHA1-NSEC3-SHA1"
        case .rsaSHA256: "RSASHA256"
        case .rsaSHA512: "RSASHA512"
        case .eccGOST: "ECC-GOST"
        case .ecdsaP256SHA256: "ECDSAP256SHA256"
        case .ecdsaP384SHA384: "ECDSAP384SHA384"
        case .ed25519: "ED25519"
        case .ed448: "ED448"
        case .unassigned(let value): String(value)
        }
    }

    public var description: String { "\(mnemonic)(\(rawValue))" }

    /// True when this module can verify signatures of the algorithm: RFC 8624 §3.1's MUST and
    /// RECOMMENDED validation algorithms 5, 7, 8, 10, 13, 14, 15, 16.
    public var isSupportedForValidation: Bool {
        signatureScheme != nil
    }

    /// True when this module can make keys and signatures of the algorithm. RFC 8624 §3.1 says
    /// RSASHA1 (5, 7) must not be used for signing, so only 8, 10, 13, 14, 15, 16 qualify.
    public var isSupportedForSigning: Bool {
        switch self {
        case .rsaSHA256, .rsaSHA512, .ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519, .ed448: true
        default: false
        }
    }

    /// How signatures of the algorithm are made, or nil when unsupported.
    var signatureScheme: SignatureScheme? {
        switch self {
        case .rsaSHA1, .rsaSHA1NSEC3SHA1: .rsa(.sha1)
        case .rsaSHA256: .rsa(.sha256)
        case .rsaSHA512: .rsa(.sha512)
        case .ecdsaP256SHA256: .ecdsa(.p256)
        case .ecdsaP384SHA384: .ecdsa(.p384)
        case .ed25519: .eddsa(.ed25519)
        case .ed448: .eddsa(.ed448)
        default: nil
        }
    }
}

/// The families of signature this module implements, with their parameters.
enum SignatureScheme: Equatable {
    /// RSASSA-PKCS1-v1_5 (RFC 3110 §3, RFC 5702 §3) with the given hash.
    case rsa(DigestAlgorithm)
    /// ECDSA (RFC 6605) on a curve, with the curve's hash.
    case ecdsa(ECDSACurve)
    /// Pure EdDSA (RFC 8080), no pre-hash.
    case eddsa(EdwardsCurve)
}

/// The two ECDSA curves of RFC 6605.
enum ECDSACurve: Equatable {
    case p256
    case p384

    /// Bytes in one coordinate or one of r and s (RFC 6605 §4).
    var coordinateSize: Int {
        switch self {
        case .p256: 32
        case .p384: 48
        }
    }

    /// The hash RFC 6605 §2 pairs with the curve.
    var digest: DigestAlgorithm {
        switch self {
        case .p256: .sha256
        case .p384: .sha384
        }
    }

    /// OpenSSL's short name of the group.
    var groupName: String {
        switch self {
        case .p256: "prime256v1"
        case .p384: "secp384r1"
        }
    }
}

/// The two EdDSA curves of RFC 8080.
enum EdwardsCurve: Equatable {
    case ed25519
    case ed448

    /// Public key length (RFC 8080 §3).
    var publicKeySize: Int {
        switch self {
        case .ed25519: 32
        case .ed448: 57
        }
    }

    /// Private key length (RFC 8032 §5.1.5, §5.2.5).
    var privateKeySize: Int { publicKeySize }

    /// Signature length (RFC 8080 §4).
    var signatureSize: Int {
        switch self {
        case .ed25519: 64
        case .ed448: 114
        }
    }

    /// OpenSSL's key type name.
    var keyType: String {
        switch self {
        case .ed25519: "ED25519"
        case .ed448: "ED448"
        }
    }
}
