/// The RDATA of one resource record: a typed value that encodes to wire form and to
/// presentation form. Every known type is a struct conforming to `KnownRDATA`; anything
/// else is `UnknownRDATA` (RFC 3597), kept as opaque bytes so nothing is lost.
///
/// Decoding is lossless: `wireRDATA()` of a decoded value gives back the received RDATA
/// octet for octet (with any compression pointers expanded; OPT excepted, whose options are
/// normalised), which is what signature checks
/// need. Equality follows the fields (names compare without regard to case, as RRset
/// membership does).
public protocol RDATA: Sendable, Hashable, CustomStringConvertible {
    /// The TYPE this is the RDATA of.
    var rrType: RRType { get }
    /// Writes the RDATA (without RDLENGTH). Uses `writer` for names so that compression and
    /// canonical lower-casing follow the type's rules.
    func write(to writer: inout DNSWriter) throws(DNSWireError)
    /// The RDATA fields in presentation format (RFC 1035 §5.1 and each type's RFC).
    var presentation: String { get }
}

/// A type with its own decoder, registered in `RDATARegistry`.
public protocol KnownRDATA: RDATA {
    static var rrType: RRType { get }
    /// Decodes from `reader`, whose `limit` is the end of the RDATA; must use all of it.
    init(from reader: inout DNSReader) throws(DNSWireError)
    /// Parses the RDATA fields of presentation format.
    init(presentation reader: inout PresentationReader) throws(DNSWireError)
}

extension KnownRDATA {
    public var rrType: RRType { Self.rrType }
}

extension RDATA {
    public var description: String { presentation }

    /// Equality across the existential: same concrete type and equal fields.
    public func isEqual(to other: any RDATA) -> Bool {
        guard let other = other as? Self else { return false }
        return self == other
    }

    /// The RDATA in uncompressed wire form, names in their original case.
    public func wireRDATA() throws(DNSWireError) -> [UInt8] {
        var writer = DNSWriter(canonical: false, capacity: 64)
        try write(to: &writer)
        return writer.bytes
    }

    /// The canonical RDATA of RFC 4034 §6.2: uncompressed, and names lower-cased for the
    /// types of that list as corrected by RFC 6840 §5.1 (RRSIG yes, NSEC no, HINFO none).
    public func canonicalRDATA() throws(DNSWireError) -> [UInt8] {
        var writer = DNSWriter(canonical: true, capacity: 64)
        try write(to: &writer)
        return writer.bytes
    }
}

/// RDATA kept as opaque bytes (RFC 3597): presentation `\# <length> <hex>`.
public struct UnknownRDATA: RDATA {
    public var rrType: RRType
    public var data: [UInt8]

    public init(type: RRType, data: [UInt8]) {
        self.rrType = type
        self.data = data
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeBytes(data)
    }

    public var presentation: String { genericRDATAPresentation(data) }
}

/// RFC 3597 §5: `\# 0` or `\# <length> <hex>`.
func genericRDATAPresentation(_ data: [UInt8]) -> String {
    data.isEmpty ? "\\# 0" : "\\# \(data.count) \(BinaryText.hex(data))"
}
