/// The fields `danegate audit` groups by, read from one audit line.
///
/// A small JSON reader of its own rather than a general parser: it checks that the line is one
/// well-formed JSON object, keeps the five top-level string fields the summary needs and skips
/// every other value, nested no deeper than ``maximumDepth``. Anything else makes the line
/// malformed; nothing in it can trap or recurse without bound (DESIGN rule 11).
public struct AuditLineFields: Sendable, Equatable {
    public var time: String
    public var service: String
    public var target: String?
    public var verdict: AuditVerdict
    public var reason: String?
    /// `time` in milliseconds since the epoch.
    public var milliseconds: Int64

    static let maximumDepth = 16
    /// Strings the summary keeps are cut to this many bytes so that a group's key stays small.
    static let maximumFieldLength = 256

    /// Reads one line (without its newline); nil when it is not an audit record.
    public init?(line: some Collection<UInt8>) {
        var reader = Reader(bytes: Array(line))
        guard let fields = reader.readRecord() else { return nil }
        self = fields
    }

    init(time: String, service: String, target: String?, verdict: AuditVerdict, reason: String?, milliseconds: Int64) {
        self.time = time
        self.service = service
        self.target = target
        self.verdict = verdict
        self.reason = reason
        self.milliseconds = milliseconds
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        /// A string value, a null, or some other value that was skipped.
        enum Value {
            case string([UInt8])
            case null
            case other
        }

        mutating func readRecord() -> AuditLineFields? {
            skipSpace()
            guard take(0x7B) else { return nil }  // {
            var time: [UInt8]?
            var service: [UInt8]?
            var target: Value = .other
            var verdict: [UInt8]?
            var reason: Value = .other
            skipSpace()
            if !take(0x7D) {
                while true {
                    skipSpace()
                    guard let key = readString() else { return nil }
                    skipSpace()
                    guard take(0x3A) else { return nil }  // :
                    skipSpace()
                    guard let value = readValue(depth: 1) else { return nil }
                    if key == Keys.time, case .string(let text) = value {
                        time = text
                    } else if key == Keys.service, case .string(let text) = value {
                        service = text
                    } else if key == Keys.target {
                        target = value
                    } else if key == Keys.verdict, case .string(let text) = value {
                        verdict = text
                    } else if key == Keys.reason {
                        reason = value
                    }
                    skipSpace()
                    if take(0x2C) { continue }  // ,
                    guard take(0x7D) else { return nil }  // }
                    break
                }
            }
            skipSpace()
            guard index == bytes.count, let time, let service, let verdict,
                let milliseconds = RFC3339Time.parse(time),
                let verdictValue = AuditVerdict(rawValue: String(decoding: verdict, as: UTF8.self))
            else { return nil }
            func optional(_ value: Value) -> String?? {
                switch value {
                case .string(let text): return .some(Self.text(text))
                case .null: return .some(nil)
                case .other: return nil
                }
            }
            guard let targetText = optional(target), let reasonText = optional(reason) else { return nil }
            return AuditLineFields(
                time: Self.text(time), service: Self.text(service), target: targetText, verdict: verdictValue,
                reason: reasonText, milliseconds: milliseconds)
        }

        private static func text(_ bytes: [UInt8]) -> String {
            String(decoding: bytes.prefix(AuditLineFields.maximumFieldLength), as: UTF8.self)
        }

        mutating func readValue(depth: Int) -> Value? {
            guard depth <= AuditLineFields.maximumDepth, index < bytes.count else { return nil }
            switch bytes[index] {
            case 0x22:
                return readString().map { .string($0) }
            case 0x7B, 0x5B:  // { [
                let isObject = bytes[index] == 0x7B
                index += 1
                skipSpace()
                if take(isObject ? 0x7D : 0x5D) { return .other }
                while true {
                    skipSpace()
                    if isObject {
                        guard readString() != nil else { return nil }
                        skipSpace()
                        guard take(0x3A) else { return nil }
                        skipSpace()
                    }
                    guard readValue(depth: depth + 1) != nil else { return nil }
                    skipSpace()
                    if take(0x2C) { continue }
                    guard take(isObject ? 0x7D : 0x5D) else { return nil }
                    return .other
                }
            case 0x6E:
                return takeWord("null") ? .null : nil
            case 0x74:
                return takeWord("true") ? .other : nil
            case 0x66:
                return takeWord("false") ? .other : nil
            default:
                return readNumber() ? .other : nil
            }
        }

        /// A JSON string (RFC 8259 §7), its escapes decoded; nil when malformed.
        mutating func readString() -> [UInt8]? {
            guard take(0x22) else { return nil }
            var text: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case 0x22:
                    return text
                case 0x5C:
                    guard index < bytes.count else { return nil }
                    let escape = bytes[index]
                    index += 1
                    switch escape {
                    case 0x22, 0x5C, 0x2F: text.append(escape)
                    case 0x62: text.append(0x08)
                    case 0x66: text.append(0x0C)
                    case 0x6E: text.append(0x0A)
                    case 0x72: text.append(0x0D)
                    case 0x74: text.append(0x09)
                    case 0x75:
                        guard let scalar = readUnicodeEscape() else { return nil }
                        text += Array(String(Character(scalar)).utf8)
                    default: return nil
                    }
                case 0..<0x20:
                    return nil
                default:
                    text.append(byte)
                }
            }
            return nil
        }

        /// The four hex digits after `\u`, with a following low surrogate when needed; a lone
        /// surrogate becomes U+FFFD.
        mutating func readUnicodeEscape() -> Unicode.Scalar? {
            guard let high = readHex4() else { return nil }
            if (0xD800..<0xDC00).contains(high), index + 1 < bytes.count, bytes[index] == 0x5C, bytes[index + 1] == 0x75 {
                let saved = index
                index += 2
                if let low = readHex4(), (0xDC00..<0xE000).contains(low) {
                    return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                }
                index = saved
            }
            return Unicode.Scalar(high) ?? "\u{FFFD}"
        }

        mutating func readHex4() -> UInt32? {
            guard index + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for byte in bytes[index..<index + 4] {
                let digit: UInt8
                switch byte {
                case 0x30...0x39: digit = byte - 0x30
                case 0x41...0x46: digit = byte - 0x41 + 10
                case 0x61...0x66: digit = byte - 0x61 + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
            }
            index += 4
            return value
        }

        /// `-? int frac? exp?` (RFC 8259 §6).
        mutating func readNumber() -> Bool {
            _ = take(0x2D)
            guard digits() > 0 else { return false }
            if take(0x2E) { guard digits() > 0 else { return false } }
            if take(0x65) || take(0x45) {
                if !take(0x2B) { _ = take(0x2D) }
                guard digits() > 0 else { return false }
            }
            return true
        }

        mutating func digits() -> Int {
            let start = index
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            return index - start
        }

        mutating func takeWord(_ word: String) -> Bool {
            let utf8 = Array(word.utf8)
            guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
                return false
            }
            index += utf8.count
            return true
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func skipSpace() {
            while index < bytes.count {
                let byte = bytes[index]
                guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return }
                index += 1
            }
        }

        /// The keys the summary reads, as bytes (compared without building a String per key).
        enum Keys {
            static let time = Array("time".utf8)
            static let service = Array("service".utf8)
            static let target = Array("target".utf8)
            static let verdict = Array("verdict".utf8)
            static let reason = Array("reason".utf8)
        }
    }
}
