/// TTL values as written in master files: a plain number of seconds (RFC 1035 §5.1, RFC 2308 §4
/// for `$TTL`) or, as BIND, NSD and dnspython accept, a sum of numbers each followed by a unit:
/// `s` seconds, `m` minutes, `h` hours, `d` days, `w` weeks, in either case (`1h30m`, `1W2D`).
///
/// The syntax is the wire helper's ``parseTTL(_:)`` (which also reads SOA timers, 32-bit
/// durations); a record TTL must moreover fit RFC 2181 §8: 0 ... 2^31 - 1 seconds. Larger
/// values are refused rather than wrapped or clamped (dnspython accepts up to 2^32 - 1: a
/// deliberate difference).
public enum ZoneTTL {
    /// Largest TTL a zone file may state (RFC 2181 §8).
    public static let maximum: UInt32 = 0x7FFF_FFFF

    /// The TTL `text` states, or nil when it is not a TTL.
    public static func parse(_ text: [UInt8]) -> UInt32? {
        guard let value = parseTTL(text), value <= maximum else { return nil }
        return value
    }

    /// True when the field starts like a TTL (a digit); used to tell a TTL from a class or type,
    /// which never start with a digit.
    static func looksLikeTTL(_ token: PresentationToken) -> Bool {
        guard !token.isQuoted, let first = token.text.first else { return false }
        return first >= 0x30 && first <= 0x39
    }
}
