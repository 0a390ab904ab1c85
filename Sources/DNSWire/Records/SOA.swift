/// SOA (RFC 1035 §3.3.13): the start of a zone of authority.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                     MNAME                     /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                     RNAME                     /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                    SERIAL                     |
///     |                    REFRESH                    |
///     |                     RETRY                     |
///     |                    EXPIRE                     |
///     |                    MINIMUM                    |   (each 32 bits)
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// Well-known (RFC 3597 §4): both names may be compressed; lower-cased in canonical form.
/// MINIMUM is the negative-caching TTL (RFC 2308 §4).
public struct SOA: KnownRDATA {
    public static let rrType = RRType.soa
    public var primaryServer: Name
    public var responsibleMailbox: Name
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    public var minimum: UInt32

    public init(primaryServer: Name, responsibleMailbox: Name, serial: UInt32, refresh: UInt32,
                retry: UInt32, expire: UInt32, minimum: UInt32) {
        self.primaryServer = primaryServer
        self.responsibleMailbox = responsibleMailbox
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        primaryServer = try reader.readName()
        responsibleMailbox = try reader.readName()
        serial = try reader.readUInt32()
        refresh = try reader.readUInt32()
        retry = try reader.readUInt32()
        expire = try reader.readUInt32()
        minimum = try reader.readUInt32()
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        primaryServer = try reader.name("SOA MNAME")
        responsibleMailbox = try reader.name("SOA RNAME")
        serial = try reader.uint32("SOA serial")
        refresh = try reader.duration("SOA refresh")
        retry = try reader.duration("SOA retry")
        expire = try reader.duration("SOA expire")
        minimum = try reader.duration("SOA minimum")
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeName(primaryServer, compressible: true, lowercaseWhenCanonical: true)
        writer.writeName(responsibleMailbox, compressible: true, lowercaseWhenCanonical: true)
        for value in [serial, refresh, retry, expire, minimum] { writer.writeUInt32(value) }
    }

    public var presentation: String {
        "\(primaryServer.presentation) \(responsibleMailbox.presentation) \(serial) \(refresh) \(retry) \(expire) \(minimum)"
    }
}
