/// Turns a master file (RFC 1035 §5) into ``Record``s.
///
/// The fields of an entry are `[<owner>] [<TTL>] [<class>] <type> <RDATA>` with TTL and class
/// in either order (RFC 1035 §5.1). What an omitted field means:
/// - **owner**: an entry whose line starts with a blank has the previous entry's owner; `@` is
///   the current origin; a name without a trailing dot is relative to the current origin
///   (`$ORIGIN`, else the origin given by the caller). A relative name with no origin is an error.
/// - **class**: the last class stated, else ``Options/defaultClass`` (IN). A zone has one class
///   (RFC 1035 §5.2): a record of another class is an error.
/// - **TTL**, in this order (the rules dnspython applies; BIND differs only in warning):
///   1. the default set by `$TTL` (RFC 2308 §4);
///   2. else the last TTL stated explicitly on an earlier record (RFC 1035 §5.1);
///   3. else the SOA MINIMUM field of the zone's SOA, once an SOA has been read (the pre-RFC 2308
///      meaning of that field, which BIND and dnspython still fall back to);
///   4. else the record is an error.
/// - `$INCLUDE` (RFC 1035 §5.1): the included file starts with the including file's state
///   (origin, or the one the directive gives, previous owner, TTLs); when it ends, the
///   including file's origin, previous owner and TTL state come back, as dnspython does.
///
/// Where other readers differ (found by the differential tests against dnspython 2.9 and
/// ldns-read-zone 1.8.3; we follow the RFCs and, where they are silent, BIND and dnspython):
/// - a TTL over 2^31 - 1 is an error here (RFC 2181 §8); dnspython accepts up to 2^32 - 1;
/// - several records of a CNAME, DNAME or NSEC RRset are all kept; dnspython keeps one;
/// - a first record with its owner omitted is an error (RFC 1035 §5.1: there is no previous
///   owner); dnspython uses the origin;
/// - ldns refuses `<class> <TTL>` order, reads a relative `$ORIGIN` as absolute, and gives an
///   RRSIG without a TTL its Original TTL; we follow RFC 1035 §5.1 and RFC 2308 §4 as BIND and
///   dnspython do;
/// - a `"` inside an unquoted field ends it and starts a quoted string, as in dnspython and
///   BIND; ldns prints names with a bare `"` (and a leading `$`) that no reader takes back.
///
/// Records are returned in file order, as written; ``ZoneFileWriter`` prints them back in
/// canonical order and ``RRset/group(_:)`` groups them.
public struct ZoneFileParser {
    /// What the caller knows before the first line.
    public struct Options: Sendable {
        /// The origin before any `$ORIGIN` (usually the zone's name); nil means relative names
        /// are errors until a `$ORIGIN` appears.
        public var origin: Name?
        /// The class of records that state none, before any record states one.
        public var defaultClass: RRClass
        /// The TTL before any `$TTL` (as if the file started with one); nil for none.
        public var defaultTTL: UInt32?
        public var limits: ZoneFileLimits

        public init(
            origin: Name? = nil, defaultClass: RRClass = .internet, defaultTTL: UInt32? = nil,
            limits: ZoneFileLimits = .default
        ) {
            self.origin = origin
            self.defaultClass = defaultClass
            self.defaultTTL = defaultTTL
            self.limits = limits
        }
    }

    /// The part of the state that an included file borrows and gives back.
    private struct Context {
        var origin: Name?
        var previousOwner: Name?
        var defaultTTL: UInt32?
        var lastStatedTTL: UInt32?
    }

    private var reader: ZoneFileReader
    private var context: Context
    private var savedContexts: [Context] = []
    private var zoneClass: RRClass?
    private let defaultClass: RRClass
    private var lastStatedClass: RRClass?
    private var soaMinimum: UInt32?

    /// Parses the file `path` read through `source` (which also serves its `$INCLUDE`s).
    public init(path: String, source: ZoneFileSource, options: Options = Options()) throws(ZoneFileError) {
        self.init(reader: try ZoneFileReader(path: path, source: source, limits: options.limits), options: options)
    }

    /// Parses `text`, named `fileName` in errors; `$INCLUDE`s go to `source`.
    public init(
        text: [UInt8], fileName: String = "<zone>", options: Options = Options(),
        source: ZoneFileSource = InMemoryZoneFileSource(files: [String: [UInt8]]())
    ) {
        self.init(
            reader: ZoneFileReader(
                contents: ZoneFileContents(name: fileName, bytes: text), source: source,
                limits: options.limits),
            options: options)
    }

    private init(reader: ZoneFileReader, options: Options) {
        self.reader = reader
        self.context = Context(origin: options.origin, defaultTTL: options.defaultTTL)
        self.defaultClass = options.defaultClass
    }

    /// Every record of the zone, in file order.
    public static func parse(
        _ text: String, fileName: String = "<zone>", options: Options = Options(),
        source: ZoneFileSource = InMemoryZoneFileSource(files: [String: [UInt8]]())
    ) throws(ZoneFileError) -> [Record] {
        var parser = ZoneFileParser(text: Array(text.utf8), fileName: fileName, options: options, source: source)
        return try parser.records()
    }

    /// All remaining records.
    public mutating func records() throws(ZoneFileError) -> [Record] {
        var result: [Record] = []
        while let record = try nextRecord() { result.append(record) }
        return result
    }

    /// The next record, or nil at the end of the zone.
    public mutating func nextRecord() throws(ZoneFileError) -> Record? {
        while let event = try reader.next() {
            switch event {
            case .record(let entry):
                return try record(from: entry)
            case .origin(let token):
                context.origin = try name(token, what: "$ORIGIN")
            case .defaultTTL(let ttl):
                context.defaultTTL = ttl
            case .includeBegin(_, let originToken):
                let includedOrigin = try originToken.map { token throws(ZoneFileError) in
                    try name(token, what: "$INCLUDE origin")
                }
                savedContexts.append(context)
                if let includedOrigin { context.origin = includedOrigin }
            case .includeEnd:
                if let saved = savedContexts.popLast() { context = saved }
            }
        }
        return nil
    }

    // MARK: One entry

    private func error(_ code: ZoneFileError.Code, _ reason: String, at token: PresentationToken)
        -> ZoneFileError
    {
        ZoneFileError(code, reason, file: reader.currentFile, line: token.line, column: token.column)
    }

    /// An RDATA error at the token it names, or at `token` when it names none.
    private func located(_ wireError: DNSWireError, default token: PresentationToken) -> ZoneFileError {
        let code: ZoneFileError.Code = wireError.code == .relativeName ? .missingOrigin : .badRDATA
        let named = wireError.line.map { $0 > 0 } ?? false
        return ZoneFileError(
            code, wireError.reason, file: reader.currentFile,
            line: named ? wireError.line ?? token.line : token.line,
            column: named ? wireError.column ?? token.column : token.column)
    }

    private func name(_ token: PresentationToken, what: String) throws(ZoneFileError) -> Name {
        do {
            return try Name(token: token, origin: context.origin)
        } catch {
            if error.code == .relativeName {
                throw self.error(
                    .missingOrigin, "relative \(what) '\(Self.text(token))' with no $ORIGIN", at: token)
            }
            throw self.error(.badName, "bad \(what) '\(Self.text(token))': \(error.reason)", at: token)
        }
    }

    private mutating func record(from entry: ZoneFileEntry) throws(ZoneFileError) -> Record {
        let tokens = entry.tokens
        var index = 0
        let owner: Name
        if entry.ownerOmitted {
            guard let previous = context.previousOwner else {
                throw error(.missingOwner, "no owner name, and no previous record to take it from", at: tokens[0])
            }
            owner = previous
        } else {
            owner = try name(tokens[0], what: "owner name")
            index = 1
        }
        context.previousOwner = owner

        // [<TTL>] [<class>] or [<class>] [<TTL>], then the type.
        var statedTTL: UInt32?
        var statedClass: RRClass?
        while index < tokens.count {
            let token = tokens[index]
            if statedTTL == nil && ZoneTTL.looksLikeTTL(token) {
                guard let ttl = ZoneTTL.parse(token.text) else {
                    throw error(.badTTL, "bad TTL '\(Self.text(token))'", at: token)
                }
                statedTTL = ttl
            } else if statedClass == nil, !token.isQuoted,
                let rrClass = RRClass(mnemonic: Self.text(token))
            {
                statedClass = rrClass
            } else {
                break
            }
            index += 1
        }
        guard index < tokens.count else {
            throw error(.missingType, "no type in this record", at: tokens[tokens.count - 1])
        }
        let typeToken = tokens[index]
        guard !typeToken.isQuoted, let type = RRType(mnemonic: Self.text(typeToken)) else {
            throw error(.unknownType, "unknown type '\(Self.text(typeToken))'", at: typeToken)
        }
        guard !type.isMetaType else {
            throw error(.unknownType, "\(type) is not a type of data in a zone", at: typeToken)
        }

        let rrClass = statedClass ?? lastStatedClass ?? defaultClass
        if let statedClass { lastStatedClass = statedClass }
        if let zoneClass, zoneClass != rrClass {
            throw error(
                .classMismatch, "class \(rrClass) differs from the zone's class \(zoneClass)",
                at: tokens[entry.ownerOmitted ? 0 : 1])
        }
        zoneClass = rrClass

        let rdata: any RDATA
        do {
            rdata = try parseRDATA(type: type, tokens: Array(tokens[(index + 1)...]), origin: context.origin)
        } catch {
            throw located(error, default: typeToken)
        }
        if let soa = rdata as? SOA, soaMinimum == nil { soaMinimum = soa.minimum }

        let ttl: UInt32
        if let statedTTL {
            ttl = statedTTL
            context.lastStatedTTL = statedTTL
        } else if let implied = context.defaultTTL ?? context.lastStatedTTL ?? soaMinimum {
            ttl = implied
        } else {
            throw error(.missingTTL, "no TTL, no $TTL and no earlier TTL to use", at: typeToken)
        }
        return Record(owner: owner, rrClass: rrClass, ttl: ttl, rdata: rdata)
    }

    private static func text(_ token: PresentationToken) -> String {
        String(decoding: token.text, as: UTF8.self)
    }
}
