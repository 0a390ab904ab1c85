/// A resource record (RFC 1035 §3.2.1): owner, class, TTL and typed RDATA. The TYPE is the
/// RDATA's, so the two can never disagree.
///
/// ## Parsing and printing (for the zone-file parser and other callers)
///
/// - Names: `try Name(token: token, origin: origin)` (or `Name(presentation: bytes/String,
///   origin:)`); `@` is the origin; a name without a trailing dot gets `origin` appended.
///   `name.presentation` prints it absolute with escapes.
/// - Types and classes: `RRType(mnemonic: "TLSA")`, `RRType(mnemonic: "TYPE1234")`,
///   `RRClass(mnemonic: "IN")`; `.mnemonic` prints them. TTLs: `parseTTL(bytes)` accepts
///   seconds and `1h30m` units.
/// - RDATA: `try parseRDATA(type: type, tokens: rdataTokens, origin: origin)` returns
///   `any RDATA` (a concrete struct such as `TLSA`, or `UnknownRDATA`). The tokens are the
///   record's fields after the type, escapes undecoded; RFC 3597 `\# len hex` works for every
///   type. For SVCB/HTTPS a `key="quoted value"` may arrive as one token or as `key=` followed
///   by a quoted token; both are read.
/// - A record: `Record(owner:rrClass:ttl:rdata:)`; `record.presentation` prints
///   `owner TTL CLASS TYPE rdata`, `record.rdata.presentation` the RDATA alone.
/// - Wire: `record.rdata.wireRDATA()` gives RDATA as is; `canonicalRDATA()` gives the
///   canonical form of RFC 4034 §6.2 with RFC 6840 §5.1 (lower-cased names for NS, CNAME,
///   SOA, PTR, MX, SRV, NAPTR, DNAME, RRSIG, ...; not NSEC). `record.canonicalWire()` gives
///   the whole canonical RR (lower-cased owner, given TTL) as signed data needs it.
/// - Typed access: `if let tlsa = record.rdata as? TLSA { ... }`.
/// - Errors: every failure is a `DNSWireError` with a `code`, and `line`/`column` from the
///   token for presentation input.
public struct Record: Sendable, CustomStringConvertible {
    public var owner: Name
    public var rrClass: RRClass
    public var ttl: UInt32
    public var rdata: any RDATA

    public var type: RRType { rdata.rrType }

    public init(owner: Name, rrClass: RRClass = .internet, ttl: UInt32, rdata: any RDATA) {
        self.owner = owner
        self.rrClass = rrClass
        self.ttl = ttl
        self.rdata = rdata
    }

    /// Parses the RDATA fields of a record given its other parts (see the type's notes).
    public init(owner: Name, rrClass: RRClass = .internet, ttl: UInt32, type: RRType,
                rdataTokens: [PresentationToken], origin: Name?) throws(DNSWireError) {
        self.init(owner: owner, rrClass: rrClass, ttl: ttl,
                  rdata: try parseRDATA(type: type, tokens: rdataTokens, origin: origin))
    }

    /// `owner TTL CLASS TYPE rdata`, one line.
    public var presentation: String {
        let data = rdata.presentation
        let head = "\(owner.presentation) \(ttl) \(rrClass.mnemonic) \(type.mnemonic)"
        return data.isEmpty ? head : head + " " + data
    }

    public var description: String { presentation }

    // MARK: Wire

    /// Decodes one RR at `reader.offset` (names may be compressed).
    public init(from reader: inout DNSReader) throws(DNSWireError) {
        let owner = try reader.readName()
        let type = RRType(try reader.readUInt16())
        let rrClass = RRClass(try reader.readUInt16())
        let ttl = try reader.readUInt32()
        let length = Int(try reader.readUInt16())
        let rdata: any RDATA
        if length == 0 && (rrClass == .any || rrClass == .none) {
            // RFC 2136 §2.5: UPDATE deletions carry empty RDATA of any type.
            rdata = UnknownRDATA(type: type, data: [])
        } else {
            rdata = try RDATARegistry.decode(type: type, from: &reader, length: length)
        }
        self.init(owner: owner, rrClass: rrClass, ttl: ttl, rdata: rdata)
    }

    /// Writes the RR; names are compressed where the writer and the type allow it.
    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeName(owner, compressible: true, lowercaseWhenCanonical: true)
        writer.writeUInt16(type.rawValue)
        writer.writeUInt16(rrClass.rawValue)
        writer.writeUInt32(ttl)
        let lengthAt = writer.count
        writer.writeUInt16(0)
        try rdata.write(to: &writer)
        let length = writer.count - lengthAt - 2
        guard length <= 0xFFFF else {
            throw DNSWireError(.tooLarge, "RDATA of \(length) octets is over 65535")
        }
        writer.patchUInt16(UInt16(length), at: lengthAt)
    }

    /// The RR in uncompressed wire form, names as they are.
    public func wire() throws(DNSWireError) -> [UInt8] {
        var writer = DNSWriter(canonical: false)
        try write(to: &writer)
        return writer.bytes
    }

    /// The canonical RR form of RFC 4034 §6.2 (owner and the listed RDATA names lower-cased,
    /// no compression), with `ttl` replaced when given (e.g. the RRSIG Original TTL).
    public func canonicalWire(ttl: UInt32? = nil) throws(DNSWireError) -> [UInt8] {
        var copy = self
        if let ttl { copy.ttl = ttl }
        var writer = DNSWriter(canonical: true)
        try copy.write(to: &writer)
        return writer.bytes
    }
}

extension Record: Hashable {
    public static func == (lhs: Record, rhs: Record) -> Bool {
        lhs.owner == rhs.owner && lhs.rrClass == rhs.rrClass && lhs.ttl == rhs.ttl
            && lhs.rdata.isEqual(to: rhs.rdata)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(owner)
        hasher.combine(rrClass)
        hasher.combine(ttl)
        hasher.combine(type)
        rdata.hash(into: &hasher)
    }
}
