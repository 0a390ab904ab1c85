/// TLSA (RFC 6698 §2.1): a certificate association for DANE.
///
///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |  Cert. Usage  |   Selector    | Matching Type |               /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+               /
///     /                                                               /
///     /                 Certificate Association Data                  /
///     /                                                               /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Presentation (§2.2): three numbers (RFC 7218 mnemonics such as `DANE-EE`, `SPKI`,
/// `SHA2-256` are accepted too) and hex that may be split by whitespace.
public struct TLSA: KnownRDATA {
    public static let rrType = RRType.tlsa
    public var usage: CertificateUsage
    public var selector: Selector
    public var matchingType: MatchingType
    public var associationData: [UInt8]

    public init(usage: CertificateUsage, selector: Selector, matchingType: MatchingType, associationData: [UInt8]) {
        self.usage = usage
        self.selector = selector
        self.matchingType = matchingType
        self.associationData = associationData
    }

    /// Certificate usage (RFC 6698 §2.1.1, names from RFC 7218).
    public enum CertificateUsage: Hashable, Sendable {
        case pkixTA, pkixEE, daneTA, daneEE, privateUse
        case unassigned(UInt8)

        public init(rawValue: UInt8) {
            switch rawValue {
            case 0: self = .pkixTA
            case 1: self = .pkixEE
            case 2: self = .daneTA
            case 3: self = .daneEE
            case 255: self = .privateUse
            default: self = .unassigned(rawValue)
            }
        }

        public var rawValue: UInt8 {
            switch self {
            case .pkixTA: 0
            case .pkixEE: 1
            case .daneTA: 2
            case .daneEE: 3
            case .privateUse: 255
            case .unassigned(let value): value
            }
        }

        static let mnemonics: [String: UInt8] = ["PKIX-TA": 0, "PKIX-EE": 1, "DANE-TA": 2, "DANE-EE": 3, "PRIVCERT": 255]
    }

    /// Selector (RFC 6698 §2.1.2).
    public enum Selector: Hashable, Sendable {
        case fullCertificate, subjectPublicKeyInfo, privateUse
        case unassigned(UInt8)

        public init(rawValue: UInt8) {
            switch rawValue {
            case 0: self = .fullCertificate
            case 1: self = .subjectPublicKeyInfo
            case 255: self = .privateUse
            default: self = .unassigned(rawValue)
            }
        }

        public var rawValue: UInt8 {
            switch self {
            case .fullCertificate: 0
            case .subjectPublicKeyInfo: 1
            case .privateUse: 255
            case .unassigned(let value): value
            }
        }

        static let mnemonics: [String: UInt8] = ["CERT": 0, "SPKI": 1, "PRIVSEL": 255]
    }

    /// Matching type (RFC 6698 §2.1.3).
    public enum MatchingType: Hashable, Sendable {
        case exact, sha256, sha512, privateUse
        case unassigned(UInt8)

        public init(rawValue: UInt8) {
            switch rawValue {
            case 0: self = .exact
            case 1: self = .sha256
            case 2: self = .sha512
            case 255: self = .privateUse
            default: self = .unassigned(rawValue)
            }
        }

        public var rawValue: UInt8 {
            switch self {
            case .exact: 0
            case .sha256: 1
            case .sha512: 2
            case .privateUse: 255
            case .unassigned(let value): value
            }
        }

        static let mnemonics: [String: UInt8] = ["FULL": 0, "SHA2-256": 1, "SHA2-512": 2, "PRIVMATCH": 255]
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        usage = CertificateUsage(rawValue: try reader.readUInt8())
        selector = Selector(rawValue: try reader.readUInt8())
        matchingType = MatchingType(rawValue: try reader.readUInt8())
        associationData = try reader.readRemaining()
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        usage = CertificateUsage(rawValue: try reader.codePoint("certificate usage", CertificateUsage.mnemonics))
        selector = Selector(rawValue: try reader.codePoint("selector", Selector.mnemonics))
        matchingType = MatchingType(rawValue: try reader.codePoint("matching type", MatchingType.mnemonics))
        associationData = try reader.remainingHex("certificate association data", allowEmpty: true)
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeUInt8(usage.rawValue)
        writer.writeUInt8(selector.rawValue)
        writer.writeUInt8(matchingType.rawValue)
        writer.writeBytes(associationData)
    }

    public var presentation: String {
        let head = "\(usage.rawValue) \(selector.rawValue) \(matchingType.rawValue)"
        return associationData.isEmpty ? head : head + " " + BinaryText.hex(associationData)
    }
}

extension PresentationReader {
    /// An 8-bit code point: a number, or one of `mnemonics` (case-insensitive).
    mutating func codePoint(_ what: String, _ mnemonics: [String: UInt8]) throws(DNSWireError) -> UInt8 {
        let token = try next(what)
        if let value = parseDecimal(token.text), value <= 255 { return UInt8(value) }
        if let value = mnemonics[String(decoding: token.text, as: UTF8.self).uppercased()] { return value }
        throw error(.badSyntax, "\(what) must be 0...255", at: token)
    }
}
