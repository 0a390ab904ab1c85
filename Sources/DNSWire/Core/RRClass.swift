/// A resource record CLASS (RFC 1035 §3.2.4); `CLASSnnn` (RFC 3597 §5) for any value.
public struct RRClass: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let internet = RRClass(1)
    public static let chaos = RRClass(3)
    public static let hesiod = RRClass(4)
    /// QCLASS NONE (RFC 2136 §2.4).
    public static let none = RRClass(254)
    /// QCLASS ANY / `*`.
    public static let any = RRClass(255)

    public var mnemonic: String {
        switch rawValue {
        case 1: "IN"
        case 3: "CH"
        case 4: "HS"
        case 254: "NONE"
        case 255: "ANY"
        default: "CLASS\(rawValue)"
        }
    }

    public var description: String { mnemonic }

    /// Reads `IN`, `CH`, `HS`, `NONE`, `ANY` (case-insensitive) or `CLASSnnn`.
    public init?(mnemonic text: String) {
        switch text.uppercased() {
        case "IN": self = .internet
        case "CH": self = .chaos
        case "HS": self = .hesiod
        case "NONE": self = .none
        case "ANY": self = .any
        case let upper:
            guard let value = parseGenericCode(upper, prefix: "CLASS") else { return nil }
            self.init(value)
        }
    }
}
