/// Why a zone file (RFC 1035 §5 master file) could not be read, and where.
///
/// Every error names the file, the 1-based line and the 1-based column (counted in bytes; a tab
/// counts as one column) of the offending token or character, so a message can be shown as
/// `file:line:column: reason`. Tests compare ``code``; ``reason`` is for people.
public struct ZoneFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rule that was broken.
    public enum Code: Sendable, Equatable {
        // Lexical (RFC 1035 §5.1).
        case unbalancedParentheses
        case unterminatedQuotedString
        case danglingEscape
        case tokenTooLong
        case entryTooLong
        case tooManyTokens
        // Directives.
        case unknownDirective
        case badDirective
        case includeTooDeep
        case includeLoop
        case tooManyIncludes
        case includeUnreadable
        // Entries.
        case badTTL
        case unknownClass
        case unknownType
        case missingType
        case missingOwner
        case missingOrigin
        case missingTTL
        case classMismatch
        case badName
        case badRDATA
    }

    public var code: Code
    public var reason: String
    /// The file as the source named it (for the top-level text, whatever name the caller gave).
    public var file: String
    public var line: Int
    public var column: Int

    public init(_ code: Code, _ reason: String, file: String, line: Int, column: Int) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column): \(reason)" }
}
