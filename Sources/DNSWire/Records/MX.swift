/// MX (RFC 1035 §3.3.9): a mail exchanger and its preference.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                  PREFERENCE                   |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                   EXCHANGE                    /
///     /                                               /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// Well-known (RFC 3597 §4): EXCHANGE may be compressed; lower-cased in canonical form.
public struct MX: KnownRDATA {
    public static let rrType = RRType.mx
    public var preference: UInt16
    public var exchange: Name

    public init(preference: UInt16, exchange: Name) {
        self.preference = preference
        self.exchange = exchange
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        preference = try reader.readUInt16()
        exchange = try reader.readName()
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        preference = try reader.uint16("MX preference")
        exchange = try reader.name("MX exchange")
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeUInt16(preference)
        writer.writeName(exchange, compressible: true, lowercaseWhenCanonical: true)
    }

    public var presentation: String { "\(preference) \(exchange.presentation)" }
}
