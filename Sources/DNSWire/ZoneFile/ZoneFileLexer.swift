/// Splits the bytes of one master file into entries of tokens (RFC 1035 §5.1).
///
/// The rules it applies, and nothing more:
/// - an entry ends at a line feed, unless parentheses are open: inside `( ... )` line feeds are
///   blanks, so one entry may span lines; a `)` without `(`, or a `(` still open at the end of the
///   file, is an error;
/// - `;` starts a comment that runs to the end of the line;
/// - blanks (space, tab, and CR so CRLF files read the same) separate tokens; `(`, `)`, `;` and `"`
///   also end an unquoted token (as dnspython and BIND do);
/// - `"..."` is one token whatever it holds (blanks, `;`, parentheses); the quotes are dropped and
///   ``PresentationToken/isQuoted`` is set; a line feed before the closing quote is an error;
/// - a backslash takes the next byte literally, anywhere: `\;`, `\(`, `\"`, `\ ` never act as
///   syntax. The backslash stays in the token text (the field parsers decode `\X` and `\DDD`,
///   because what an escape means depends on the field);
/// - an entry whose first line starts with a blank has its owner omitted.
///
/// Lines and columns are 1-based; columns count bytes. The lexer never looks back, so it runs in
/// time linear in the input, and ``ZoneFileLimits`` bounds every token and entry it builds.
public struct ZoneFileLexer {
    private let bytes: [UInt8]
    private let file: String
    private let limits: ZoneFileLimits
    private var index: Int
    private var line = 1
    private var lineStart: Int

    /// - Parameters:
    ///   - bytes: the whole file. A leading UTF-8 byte order mark is skipped.
    ///   - file: the name to put in errors.
    ///   - limits: the bounds on token, entry and token-count size that keep a hostile file
    ///     from growing memory without bound.
    public init(bytes: [UInt8], file: String, limits: ZoneFileLimits = .default) {
        self.bytes = bytes
        self.file = file
        self.limits = limits
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        self.index = hasBOM ? 3 : 0
        self.lineStart = self.index
    }

    private static let space: UInt8 = 0x20
    private static let tab: UInt8 = 0x09
    private static let carriageReturn: UInt8 = 0x0D
    private static let lineFeed: UInt8 = 0x0A
    private static let semicolon: UInt8 = 0x3B
    private static let openParen: UInt8 = 0x28
    private static let closeParen: UInt8 = 0x29
    private static let quote: UInt8 = 0x22
    private static let backslash: UInt8 = 0x5C

    private var column: Int { index - lineStart + 1 }

    private func error(_ code: ZoneFileError.Code, _ reason: String, line: Int, column: Int)
        -> ZoneFileError
    {
        ZoneFileError(code, reason, file: file, line: line, column: column)
    }

    /// The next entry, or nil at the end of the file. Blank lines and comment-only lines are skipped.
    public mutating func nextEntry() throws(ZoneFileError) -> ZoneFileEntry? {
        var tokens: [PresentationToken] = []
        var ownerOmitted = false
        var atLineStart = true
        var parenDepth = 0
        var firstOpenParen = (line: 0, column: 0)
        var entryStart = index

        while index < bytes.count {
            let byte = bytes[index]
            if atLineStart && tokens.isEmpty && parenDepth == 0 {
                // A new entry may begin on this line.
                ownerOmitted = byte == Self.space || byte == Self.tab
                entryStart = index
            }
            atLineStart = false
            if index - entryStart > limits.maxEntryBytes {
                throw error(
                    .entryTooLong, "entry longer than \(limits.maxEntryBytes) bytes",
                    line: tokens.first?.line ?? line, column: tokens.first?.column ?? column)
            }
            switch byte {
            case Self.space, Self.tab, Self.carriageReturn:
                index += 1
            case Self.semicolon:
                skipComment()
            case Self.lineFeed:
                index += 1
                line += 1
                lineStart = index
                atLineStart = true
                if parenDepth == 0 && !tokens.isEmpty {
                    return makeEntry(tokens, ownerOmitted: ownerOmitted)
                }
            case Self.openParen:
                if parenDepth == 0 { firstOpenParen = (line, column) }
                parenDepth += 1
                index += 1
            case Self.closeParen:
                if parenDepth == 0 {
                    throw error(
                        .unbalancedParentheses, "')' without a matching '('", line: line, column: column)
                }
                parenDepth -= 1
                index += 1
            case Self.quote:
                try append(readQuoted(), to: &tokens)
            default:
                try append(readUnquoted(), to: &tokens)
            }
        }
        if parenDepth > 0 {
            throw error(
                .unbalancedParentheses, "'(' not closed before the end of the file",
                line: firstOpenParen.line, column: firstOpenParen.column)
        }
        return tokens.isEmpty ? nil : makeEntry(tokens, ownerOmitted: ownerOmitted)
    }

    private func makeEntry(_ tokens: [PresentationToken], ownerOmitted: Bool) -> ZoneFileEntry {
        // `tokens` is non-empty at every call site.
        ZoneFileEntry(
            ownerOmitted: ownerOmitted, tokens: tokens, line: tokens[0].line, column: tokens[0].column)
    }

    private func append(_ token: PresentationToken, to tokens: inout [PresentationToken])
        throws(ZoneFileError)
    {
        if tokens.count >= limits.maxTokensPerEntry {
            throw error(
                .tooManyTokens, "more than \(limits.maxTokensPerEntry) fields in one entry",
                line: token.line, column: token.column)
        }
        tokens.append(token)
    }

    private mutating func skipComment() {
        while index < bytes.count && bytes[index] != Self.lineFeed { index += 1 }
    }

    /// Consumes a backslash and the byte after it, appending both to `text`.
    private mutating func takeEscape(into text: inout [UInt8]) throws(ZoneFileError) {
        let escapeColumn = column
        index += 1
        guard index < bytes.count else {
            throw error(.danglingEscape, "'\\' at the end of the file", line: line, column: escapeColumn)
        }
        let escaped = bytes[index]
        text.append(Self.backslash)
        text.append(escaped)
        index += 1
        if escaped == Self.lineFeed {
            line += 1
            lineStart = index
        }
    }

    private func checkLength(_ text: [UInt8], line: Int, column: Int) throws(ZoneFileError) {
        if text.count > limits.maxTokenBytes {
            throw error(
                .tokenTooLong, "field longer than \(limits.maxTokenBytes) bytes", line: line,
                column: column)
        }
    }

    private mutating func readUnquoted() throws(ZoneFileError) -> PresentationToken {
        let startLine = line
        let startColumn = column
        var text: [UInt8] = []
        scan: while index < bytes.count {
            switch bytes[index] {
            case Self.space, Self.tab, Self.carriageReturn, Self.lineFeed, Self.semicolon,
                Self.openParen, Self.closeParen, Self.quote:
                break scan
            case Self.backslash:
                try takeEscape(into: &text)
            default:
                text.append(bytes[index])
                index += 1
            }
            try checkLength(text, line: startLine, column: startColumn)
        }
        return PresentationToken(text: text, isQuoted: false, line: startLine, column: startColumn)
    }

    private mutating func readQuoted() throws(ZoneFileError) -> PresentationToken {
        let startLine = line
        let startColumn = column
        index += 1  // the opening quote
        var text: [UInt8] = []
        while index < bytes.count {
            switch bytes[index] {
            case Self.quote:
                index += 1
                return PresentationToken(
                    text: text, isQuoted: true, line: startLine, column: startColumn)
            case Self.lineFeed:
                throw error(
                    .unterminatedQuotedString, "quoted string not closed on its line",
                    line: startLine, column: startColumn)
            case Self.backslash:
                try takeEscape(into: &text)
            default:
                text.append(bytes[index])
                index += 1
            }
            try checkLength(text, line: startLine, column: startColumn)
        }
        throw error(
            .unterminatedQuotedString, "quoted string not closed before the end of the file",
            line: startLine, column: startColumn)
    }
}
