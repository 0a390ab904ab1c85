/// One entry of a master file (RFC 1035 §5.1): the tokens of one line, or of several lines joined
/// by parentheses, with comments removed.
///
/// A directive (`$ORIGIN`, `$TTL`, `$INCLUDE`) is an entry too; the directive reader tells them apart.
public struct ZoneFileEntry: Sendable, Equatable {
    /// True when the entry's first line began with a blank (space or tab): the owner is omitted
    /// and the previous owner applies (RFC 1035 §5.1).
    public var ownerOmitted: Bool
    /// The fields, escapes not decoded (see ``PresentationToken``). Never empty.
    public var tokens: [PresentationToken]
    /// Where the entry starts (1-based): its first token.
    public var line: Int
    public var column: Int

    public init(ownerOmitted: Bool, tokens: [PresentationToken], line: Int, column: Int) {
        self.ownerOmitted = ownerOmitted
        self.tokens = tokens
        self.line = line
        self.column = column
    }
}
