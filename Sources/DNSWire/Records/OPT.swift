/// OPT (RFC 6891 §6.1.2): the EDNS(0) pseudo-record. Messages turn it into an `EDNS` value;
/// this RDATA type exists so an OPT record read on its own is still parsed.
///
///     +------------+--------------+------------------------------+
///     | Field Name | Field Type   | Description                  |
///     +------------+--------------+------------------------------+
///     | NAME       | domain name  | MUST be 0 (root domain)      |
///     | TYPE       | u_int16_t    | OPT (41)                     |
///     | CLASS      | u_int16_t    | requestor's UDP payload size |
///     | TTL        | u_int32_t    | extended RCODE and flags     |
///     | RDLEN      | u_int16_t    | length of all RDATA          |
///     | RDATA      | octet stream | {attribute,value} pairs      |
///     +------------+--------------+------------------------------+
///
/// RDATA is a sequence of options (see `EDNSOption`). OPT has no presentation form of its
/// own: it prints and parses as RFC 3597 `\# len hex`.
public struct OPT: KnownRDATA {
    public static let rrType = RRType.opt
    public var options: [EDNSOption]

    public init(options: [EDNSOption]) { self.options = options }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        options = try EDNSOption.readAll(from: &reader)
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        throw reader.error(.badSyntax, "OPT has no presentation form; use \\# <length> <hex>")
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        for option in options { try option.write(to: &writer) }
    }

    public var presentation: String {
        var writer = DNSWriter()
        for option in options { try? option.write(to: &writer) }
        return genericRDATAPresentation(writer.bytes)
    }
}
