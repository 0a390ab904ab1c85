/// RRSIG signature times (RFC 4034 §3.2): 32-bit seconds since 1970 on the wire, compared
/// with serial arithmetic (RFC 1982); presentation `YYYYMMDDHHmmSS` in UTC, or the plain
/// decimal number.
public enum DNSSECTime {
    /// `YYYYMMDDHHmmSS` (UTC) for a wire value (years 1970...2106).
    public static func format(_ value: UInt32) -> String {
        timestamp(Int64(value))
    }

    /// `YYYYMMDDHHmmSS` (UTC) for any count of seconds since 1970, before it too; also the
    /// form of BIND's key file times (the Cryptography module's `BINDKeyFiles`).
    package static func timestamp(_ seconds: Int64) -> String {
        // Floor division, so that a time before 1970 falls on the day before, not after.
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = Int(seconds - days * 86_400)
        let (year, month, day) = civil(fromDays: Int(days))
        func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
        return "\(year)\(two(month))\(two(day))\(two(rest / 3600))\(two(rest / 60 % 60))\(two(rest % 60))"
    }

    /// Parses `YYYYMMDDHHmmSS` (taken modulo 2^32, RFC 4034 §3.2) or a decimal of at most
    /// 10 digits that fits in 32 bits.
    public static func parse(_ text: [UInt8]) -> UInt32? {
        guard text.allSatisfy({ isDigit($0) }) else { return nil }
        if text.count == 14 {
            func number(_ range: Range<Int>) -> Int {
                text[range].reduce(0) { $0 * 10 + Int($1 - 0x30) }
            }
            let year = number(0..<4)
            let month = number(4..<6)
            let day = number(6..<8)
            let hour = number(8..<10)
            let minute = number(10..<12)
            let second = number(12..<14)
            guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
                hour < 24, minute < 60, second < 60
            else { return nil }
            let total = days(fromCivil: year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
            return UInt32(truncatingIfNeeded: total)
        }
        guard text.count <= 10, let value = parseDecimal(text), value <= UInt64(UInt32.max) else { return nil }
        return UInt32(value)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    public static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (negative before it).
    public static func civil(fromDays count: Int) -> (Int, Int, Int) {
        let z = count + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
