/// DNSSEC algorithm numbers (RFC 4034 App. A.1, IANA "DNS Security Algorithm Numbers"; RFC 8624
/// §3.1 says which to implement). Total: every octet maps to a case, unknown ones to
/// `unassigned`, so a DNSKEY or RRSIG of an algorithm we do not know is kept, and a zone signed
/// only with such algorithms is treated as insecure (RFC 4035 §5.2), not bogus. Presentation
/// accepts the number or the mnemonic. Which algorithms can be verified and signed is the
/// Cryptography module's word (`isSupportedForValidation`, `isSupportedForSigning`).
public enum DNSSECAlgorithm: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
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
    /// Any other number (including reserved and private ones, 252 to 254).
    case unassigned(UInt8)

    /// The algorithm for a wire octet.
    public init(_ rawValue: UInt8) { self.init(rawValue: rawValue) }

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

    /// The IANA mnemonic, as zone files and BIND's key files name the algorithm; the number for
    /// an algorithm without one.
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
        case .unassigned(252): "INDIRECT"
        case .unassigned(253): "PRIVATEDNS"
        case .unassigned(254): "PRIVATEOID"
        case .unassigned(let value): String(value)
        }
    }

    public var description: String { "\(mnemonic)(\(rawValue))" }

    /// The algorithms with a mnemonic, for reading presentation format.
    static let named: [DNSSECAlgorithm] = [
        .rsaMD5, .dsa, .rsaSHA1, .dsaNSEC3SHA1, .rsaSHA1NSEC3SHA1, .rsaSHA256, .rsaSHA512, .eccGOST,
        .ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519, .ed448,
        .unassigned(252), .unassigned(253), .unassigned(254),
    ]

    /// A number 0...255 or a mnemonic (case-insensitive).
    public init?(text: [UInt8]) {
        if let value = parseDecimal(text) {
            guard value <= 255 else { return nil }
            self.init(rawValue: UInt8(value))
            return
        }
        let upper = String(decoding: text, as: UTF8.self).uppercased()
        guard let named = DNSSECAlgorithm.named.first(where: { $0.mnemonic == upper }) else { return nil }
        self = named
    }
}

/// DS digest types (RFC 4034 §5.1.3, IANA "Delegation Signer (DS) Resource Record Digest
/// Algorithms"). Total, like `DNSSECAlgorithm`: a DS of an unknown digest type is kept and
/// skipped (RFC 4035 §5.2). Which types can be computed is the Cryptography module's word.
public enum DigestType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
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

    public init(_ rawValue: UInt8) { self.init(rawValue: rawValue) }

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
}

extension PresentationReader {
    /// A DNSSEC algorithm: number or mnemonic.
    mutating func algorithm(_ what: String) throws(DNSWireError) -> DNSSECAlgorithm {
        let token = try next(what)
        guard let algorithm = DNSSECAlgorithm(text: token.text) else {
            throw error(.badSyntax, "\(what) must be 0...255 or a mnemonic", at: token)
        }
        return algorithm
    }
}
