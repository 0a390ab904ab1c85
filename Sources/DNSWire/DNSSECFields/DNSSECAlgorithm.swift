/// DNSSEC algorithm numbers (RFC 4034 App. A.1, IANA "DNS Security Algorithm Numbers"),
/// total over 0...255. Presentation accepts the number or the mnemonic.
public struct DNSSECAlgorithm: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    public static let rsaMD5 = DNSSECAlgorithm(1)
    public static let dsa = DNSSECAlgorithm(3)
    public static let rsaSHA1 = DNSSECAlgorithm(5)
    public static let dsaNSEC3SHA1 = DNSSECAlgorithm(6)
    public static let rsaSHA1NSEC3SHA1 = DNSSECAlgorithm(7)
    public static let rsaSHA256 = DNSSECAlgorithm(8)
    public static let rsaSHA512 = DNSSECAlgorithm(10)
    public static let eccGOST = DNSSECAlgorithm(12)
    public static let ecdsaP256SHA256 = DNSSECAlgorithm(13)
    public static let ecdsaP384SHA384 = DNSSECAlgorithm(14)
    public static let ed25519 = DNSSECAlgorithm(15)
    public static let ed448 = DNSSECAlgorithm(16)

    static let mnemonics: [UInt8: String] = [
        1: "RSAMD5", 3: "DSA", 5: "RSASHA1", 6: "DSA-NSEC3-SHA1", 7: "RSASHA1-NSEC3-SHA1",
        8: "RSASHA256", 10: "RSASHA512", 12: "ECC-GOST", 13: "ECDSAP256SHA256",
        14: "ECDSAP384SHA384", 15: "ED25519", 16: "ED448", 252: "INDIRECT", 253: "PRIVATEDNS",
        254: "PRIVATEOID",
    ]

    public var mnemonic: String? { DNSSECAlgorithm.mnemonics[rawValue] }
    public var description: String { mnemonic ?? String(rawValue) }

    /// A number 0...255 or a mnemonic (case-insensitive).
    public init?(text: [UInt8]) {
        if let value = parseDecimal(text) {
            guard value <= 255 else { return nil }
            self.init(UInt8(value))
            return
        }
        let upper = String(decoding: text, as: UTF8.self).uppercased()
        guard let entry = DNSSECAlgorithm.mnemonics.first(where: { $0.value == upper }) else { return nil }
        self.init(entry.key)
    }
}

/// DS digest types (RFC 4034 §5.1.3, RFC 4509, RFC 6605): total over 0...255.
public struct DigestType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    public static let sha1 = DigestType(1)
    public static let sha256 = DigestType(2)
    public static let gostR341194 = DigestType(3)
    public static let sha384 = DigestType(4)

    public var description: String { String(rawValue) }
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
