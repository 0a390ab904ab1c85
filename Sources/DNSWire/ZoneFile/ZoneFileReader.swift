/// Reads a zone file and the files it includes as one stream of ``ZoneFileEvent``s: it recognises
/// the control entries (`$ORIGIN`, `$TTL`, `$INCLUDE`; RFC 1035 §5.1, RFC 2308 §4) and follows
/// `$INCLUDE` through a ``ZoneFileSource``, refusing loops, too deep nesting and too many files.
///
/// It does not interpret names or records; ``ZoneFileParser`` does, using the events.
/// BIND's `$GENERATE` is not supported (an error says so).
public struct ZoneFileReader {
    private struct OpenFile {
        var name: String
        var lexer: ZoneFileLexer
    }

    private let source: ZoneFileSource
    private let limits: ZoneFileLimits
    private var stack: [OpenFile]
    private var pendingInclude: OpenFile?
    private var includesOpened = 0

    /// Opens `path` through `source`. Errors from the source are reported as
    /// ``ZoneFileError/Code/includeUnreadable`` at line 0.
    public init(path: String, source: ZoneFileSource, limits: ZoneFileLimits = .default)
        throws(ZoneFileError)
    {
        let contents: ZoneFileContents
        do {
            contents = try source.read(path, includedFrom: nil)
        } catch {
            throw ZoneFileError(
                .includeUnreadable, "cannot read \(path): \(error)", file: path, line: 0, column: 0)
        }
        self.init(contents: contents, source: source, limits: limits)
    }

    /// Reads `contents` as the top-level file; `$INCLUDE`s go to `source`.
    public init(
        contents: ZoneFileContents, source: ZoneFileSource = InMemoryZoneFileSource(files: [String: [UInt8]]()),
        limits: ZoneFileLimits = .default
    ) {
        self.source = source
        self.limits = limits
        self.stack = [
            OpenFile(
                name: contents.name,
                lexer: ZoneFileLexer(bytes: contents.bytes, file: contents.name, limits: limits))
        ]
    }

    /// The file the last event came from (for error messages).
    public var currentFile: String { stack.last?.name ?? "" }

    /// The next event, or nil when the top-level file has ended.
    public mutating func next() throws(ZoneFileError) -> ZoneFileEvent? {
        if let pending = pendingInclude {
            stack.append(pending)
            pendingInclude = nil
        }
        while !stack.isEmpty {
            let last = stack.count - 1
            guard let entry = try stack[last].lexer.nextEntry() else {
                stack.removeLast()
                if stack.isEmpty { return nil }
                return .includeEnd
            }
            if !entry.ownerOmitted, let first = entry.tokens.first, !first.isQuoted,
                first.text.first == UInt8(ascii: "$")
            {
                return try controlEntry(entry)
            }
            return .record(entry)
        }
        return nil
    }

    private func error(_ code: ZoneFileError.Code, _ reason: String, at token: PresentationToken)
        -> ZoneFileError
    {
        ZoneFileError(code, reason, file: currentFile, line: token.line, column: token.column)
    }

    private mutating func controlEntry(_ entry: ZoneFileEntry) throws(ZoneFileError) -> ZoneFileEvent {
        let keyword = entry.tokens[0]  // entries are never empty
        let arguments = entry.tokens.dropFirst()
        switch asciiUppercased(keyword.text) {
        case Array("$ORIGIN".utf8):
            guard arguments.count == 1, let name = arguments.first else {
                throw error(.badDirective, "$ORIGIN takes exactly one domain name", at: keyword)
            }
            return .origin(name)
        case Array("$TTL".utf8):
            guard arguments.count == 1, let ttlToken = arguments.first else {
                throw error(.badDirective, "$TTL takes exactly one TTL", at: keyword)
            }
            guard !ttlToken.isQuoted, let ttl = ZoneTTL.parse(ttlToken.text) else {
                throw error(
                    .badTTL, "bad TTL '\(String(decoding: ttlToken.text, as: UTF8.self))'",
                    at: ttlToken)
            }
            return .defaultTTL(ttl)
        case Array("$INCLUDE".utf8):
            guard (1...2).contains(arguments.count), let pathToken = arguments.first else {
                throw error(
                    .badDirective, "$INCLUDE takes a file name and an optional origin", at: keyword)
            }
            let origin = arguments.count == 2 ? arguments.last : nil
            return try include(pathToken, origin: origin)
        default:
            throw error(
                .unknownDirective,
                "unsupported directive '\(String(decoding: keyword.text, as: UTF8.self))'", at: keyword)
        }
    }

    private mutating func include(_ pathToken: PresentationToken, origin: PresentationToken?)
        throws(ZoneFileError) -> ZoneFileEvent
    {
        // The top-level file is depth 0, so the stack may hold maxIncludeDepth + 1 files.
        guard stack.count <= limits.maxIncludeDepth else {
            throw error(
                .includeTooDeep, "$INCLUDE nested deeper than \(limits.maxIncludeDepth)", at: pathToken)
        }
        guard includesOpened < limits.maxIncludes else {
            throw error(.tooManyIncludes, "more than \(limits.maxIncludes) $INCLUDEs", at: pathToken)
        }
        let path = String(decoding: Self.unescaped(pathToken.text), as: UTF8.self)
        let contents: ZoneFileContents
        do {
            contents = try source.read(path, includedFrom: currentFile)
        } catch {
            throw self.error(.includeUnreadable, "cannot read '\(path)': \(error)", at: pathToken)
        }
        if stack.contains(where: { $0.name == contents.name }) {
            throw error(.includeLoop, "'\(contents.name)' includes itself", at: pathToken)
        }
        includesOpened += 1
        pendingInclude = OpenFile(
            name: contents.name,
            lexer: ZoneFileLexer(bytes: contents.bytes, file: contents.name, limits: limits))
        return .includeBegin(file: contents.name, origin: origin)
    }

    private func asciiUppercased(_ text: [UInt8]) -> [UInt8] {
        text.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }
    }

    /// A file name with `\X` read as `X` and `\DDD` as the byte DDD (RFC 1035 §5.1).
    static func unescaped(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            guard text[i] == UInt8(ascii: "\\"), i + 1 < text.count else {
                out.append(text[i])
                i += 1
                continue
            }
            if i + 3 < text.count, let value = decimal(text[(i + 1)...(i + 3)]), value <= 255 {
                out.append(UInt8(value))
                i += 4
            } else {
                out.append(text[i + 1])
                i += 2
            }
        }
        return out
    }

    private static func decimal(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for d in digits {
            guard d >= 0x30 && d <= 0x39 else { return nil }
            value = value * 10 + Int(d - 0x30)
        }
        return value
    }
}
