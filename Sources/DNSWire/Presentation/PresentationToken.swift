/// One whitespace-separated field of a record in presentation format (RFC 1035 §5.1),
/// as the zone-file lexer hands it to the RDATA parsers.
///
/// `text` is the field exactly as written, escapes (`\.`, `\DDD`) NOT yet decoded and
/// without the surrounding quotes when `isQuoted` is set: how an escape is read depends
/// on the field (a `\.` inside a domain name is a dot within a label; inside a
/// character-string it is just a dot), so each field parser decodes its own.
public struct PresentationToken: Sendable, Equatable {
    public var text: [UInt8]
    public var isQuoted: Bool
    /// Where the token starts, 1-based, for error messages.
    public var line: Int
    public var column: Int

    public init(text: [UInt8], isQuoted: Bool = false, line: Int = 0, column: Int = 0) {
        self.text = text
        self.isQuoted = isQuoted
        self.line = line
        self.column = column
    }

    public init(_ string: String, isQuoted: Bool = false, line: Int = 0, column: Int = 0) {
        self.init(text: Array(string.utf8), isQuoted: isQuoted, line: line, column: column)
    }
}
