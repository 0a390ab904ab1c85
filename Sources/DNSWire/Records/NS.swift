/// NS (RFC 1035 §3.3.11): one domain name.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                   NSDNAME                     /
///     /                                               /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// NSDNAME, a host authoritative for the zone. A well-known type of RFC 3597 §4: the name may be compressed, and is lower-cased in canonical form.
public struct NS: KnownRDATA {
    public static let rrType = RRType.ns
    public var target: Name

    public init(_ target: Name) { self.target = target }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        target = try reader.readName()
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        target = try reader.name("target name")
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeName(target, compressible: true, lowercaseWhenCanonical: true)
    }

    public var presentation: String { target.presentation }
}
