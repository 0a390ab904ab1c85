import DNSWire

/// What this module can do with each DNSSEC algorithm (RFC 8624 §3.1), and how.
extension DNSSECAlgorithm {
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
