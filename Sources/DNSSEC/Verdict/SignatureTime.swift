/// RRSIG inception and expiration are 32-bit seconds since 1970 compared with serial number
/// arithmetic (RFC 4034 §3.1.5, RFC 1982 §3.2), so signatures keep working across the 2^32 wrap
/// in 2106: a value is "before" another when it is less than 2^31 behind it, modulo 2^32.
public enum SignatureTime {
    /// True when serial `lhs` comes strictly before serial `rhs` (RFC 1982 §3.2). Two values
    /// exactly 2^31 apart are incomparable; that is reported as "not before".
    public static func isBefore(_ lhs: UInt32, _ rhs: UInt32) -> Bool {
        lhs != rhs && (rhs &- lhs) < 0x8000_0000
    }

    /// The 32-bit serial form of a time in seconds since 1970.
    public static func serial(_ secondsSince1970: UInt64) -> UInt32 {
        UInt32(truncatingIfNeeded: secondsSince1970)
    }

    /// Where `now` lies against a validity window.
    public enum Position: Sendable, Equatable {
        case valid
        case notYetValid
        case expired
        /// The expiration is before the inception (RFC 8914 code 25).
        case expiredBeforeValid
    }

    /// `inception <= now <= expiration`, all in serial arithmetic (RFC 4035 §5.3.1).
    public static func position(now: UInt32, inception: UInt32, expiration: UInt32) -> Position {
        if isBefore(expiration, inception) { return .expiredBeforeValid }
        if isBefore(now, inception) { return .notYetValid }
        if isBefore(expiration, now) { return .expired }
        return .valid
    }

    /// Seconds from `now` until `expiration`, for a signature that is valid at `now`.
    public static func secondsUntil(_ expiration: UInt32, now: UInt32) -> UInt32 {
        isBefore(expiration, now) ? 0 : expiration &- now
    }
}
