/// SRV (RFC 2782): the location of a service.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                   PRIORITY                    |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                    WEIGHT                     |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                     PORT                      |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                    TARGET                     /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// RFC 2782: TARGET is not compressed on write (read with decompression, RFC 3597 §4);
/// lower-cased in canonical form (RFC 4034 §6.2). A target of "." means "no service".
public struct SRV: KnownRDATA {
    public static let rrType = RRType.srv
    public var priority: UInt16
    public var weight: UInt16
    public var port: UInt16
    public var target: Name

    public init(priority: UInt16, weight: UInt16, port: UInt16, target: Name) {
        self.priority = priority
        self.weight = weight
        self.port = port
        self.target = target
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        priority = try reader.readUInt16()
        weight = try reader.readUInt16()
        port = try reader.readUInt16()
        target = try reader.readName()
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        priority = try reader.uint16("SRV priority")
        weight = try reader.uint16("SRV weight")
        port = try reader.uint16("SRV port")
        target = try reader.name("SRV target")
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeUInt16(priority)
        writer.writeUInt16(weight)
        writer.writeUInt16(port)
        writer.writeName(target, compressible: false, lowercaseWhenCanonical: true)
    }

    public var presentation: String { "\(priority) \(weight) \(port) \(target.presentation)" }
}
