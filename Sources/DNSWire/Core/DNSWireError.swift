/// The one error type of DNSWire: a machine-readable `code`, a human `reason`, and where it
/// happened (a byte offset for wire input, a line and column for presentation input).
///
/// Tests compare `code`; `reason` is for people and may change.
public struct DNSWireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for programs; one case per rejection rule.
    public enum Code: String, Sendable, Equatable {
        // Wire input.
        /// The input ended before a field was complete.
        case truncated
        /// A compression pointer points at or after the start of the name being read (RFC 1035 §4.1.4).
        case forwardPointer
        /// A compression pointer leaves the message or lands inside a label, or too many hops.
        case badPointer
        /// A label length byte with the reserved top bits `01` or `10` (RFC 6891 §5).
        case badLabelType
        /// A label longer than 63 octets (RFC 1035 §2.3.4).
        case labelTooLong
        /// A name longer than 255 octets in wire form (RFC 1035 §2.3.4).
        case nameTooLong
        /// RDATA whose fields do not fill RDLENGTH exactly, or a field out of range.
        case badRDATA
        /// Bytes left after the last record of a message.
        case trailingBytes
        /// A structurally valid message that breaks a rule (e.g. two OPT records).
        case badMessage
        /// A malformed EDNS(0) option.
        case badOption
        /// A value too large to encode (e.g. RDATA over 65535 octets).
        case tooLarge
        // Presentation input.
        /// A malformed or out-of-range field in presentation format.
        case badSyntax
        /// A relative name with no origin to complete it.
        case relativeName
        /// Fewer fields than the type needs.
        case missingField
        /// More fields than the type takes.
        case extraField
        /// An escape (`\DDD`, `\X`) that is incomplete or out of range.
        case badEscape
        /// Text in an encoding (hex, base64, base32hex) that does not decode.
        case badEncoding
        /// A type or class mnemonic that is not known and not `TYPEnnn`/`CLASSnnn`.
        case unknownMnemonic
    }

    public var code: Code
    public var reason: String
    /// Byte offset in the wire input, when the error comes from wire decoding.
    public var offset: Int?
    /// 1-based line and column of the presentation token, when known.
    public var line: Int?
    public var column: Int?

    public init(_ code: Code, _ reason: String, offset: Int? = nil, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.reason = reason
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var description: String {
        var text = "\(code.rawValue): \(reason)"
        if let offset { text += " (at offset \(offset))" }
        if let line, line > 0 { text += " (line \(line), column \(column ?? 0))" }
        return text
    }
}
