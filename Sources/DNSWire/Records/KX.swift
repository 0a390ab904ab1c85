/// KX (RFC 2230 §3.1): a 16-bit value and a host name.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                  PREFERENCE                   |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                  EXCHANGER                    /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// Not compressed on write (RFC 3597 §4); lower-cased in canonical form (RFC 4034 §6.2).
public struct KX: KnownRDATA {
    public static let rrType = RRType.kx
    public var preference: UInt16
    public var exchanger: Name

    public init(preference: UInt16, exchanger: Name) {
        self.preference = preference
        self.exchanger = exchanger
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        preference = try reader.readUInt16()
        exchanger = try reader.readName()
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        preference = try reader.uint16("KX preference")
        exchanger = try reader.name("KX exchanger")
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeUInt16(preference)
        writer.writeName(exchanger, lowercaseWhenCanonical: true)
    }

    public var presentation: String { "\(preference) \(exchanger.presentation)" }
}
