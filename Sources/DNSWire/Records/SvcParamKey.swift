/// A SvcParamKey of SVCB and HTTPS (RFC 9460 §14.3.2): a name such as `alpn`, or `keyNNNNN`.
public struct SvcParamKey: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let mandatory = SvcParamKey(0)
    public static let alpn = SvcParamKey(1)
    public static let noDefaultALPN = SvcParamKey(2)
    public static let port = SvcParamKey(3)
    public static let ipv4hint = SvcParamKey(4)
    public static let ech = SvcParamKey(5)
    public static let ipv6hint = SvcParamKey(6)
    /// RFC 9461 §5.
    public static let dohpath = SvcParamKey(7)
    /// "Invalid key" (RFC 9460 §14.3.2).
    public static let invalid = SvcParamKey(65535)

    static let names: [UInt16: String] = [
        0: "mandatory", 1: "alpn", 2: "no-default-alpn", 3: "port", 4: "ipv4hint", 5: "ech", 6: "ipv6hint", 7: "dohpath",
    ]

    /// The name, or `keyNNNNN`.
    public var description: String { SvcParamKey.names[rawValue] ?? "key\(rawValue)" }

    /// A key name or `keyNNNNN` (RFC 9460 §2.1).
    public init?(text: [UInt8]) {
        let string = String(decoding: text, as: UTF8.self)
        if let entry = SvcParamKey.names.first(where: { $0.value == string }) {
            self.init(entry.key)
        } else if string.hasPrefix("key"), let value = parseDecimal(Array(text.dropFirst(3))), value <= 65535 {
            self.init(UInt16(value))
        } else {
            return nil
        }
    }

    public static func < (lhs: SvcParamKey, rhs: SvcParamKey) -> Bool { lhs.rawValue < rhs.rawValue }
}

