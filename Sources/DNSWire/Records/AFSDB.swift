/// AFSDB (RFC 1183 §1): a 16-bit value and a host name.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                  SUBTYPE                      |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                  HOSTNAME                     /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// Not compressed on write (RFC 3597 §4); lower-cased in canonical form (RFC 4034 §6.2).
public struct AFSDB: KnownRDATA {
    public static let rrType = RRType.afsdb
    public var subtype: UInt16
    public var hostname: Name

    public init(subtype: UInt16, hostname: Name) {
        self.subtype = subtype
        self.hostname = hostname
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        subtype = try reader.readUInt16()
        hostname = try reader.readName()
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        subtype = try reader.uint16("AFSDB subtype")
        hostname = try reader.name("AFSDB hostname")
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeUInt16(subtype)
        writer.writeName(hostname, lowercaseWhenCanonical: true)
    }

    public var presentation: String { "\(subtype) \(hostname.presentation)" }
}
