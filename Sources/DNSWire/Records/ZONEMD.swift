/// ZONEMD (RFC 8976 §2.2): a message digest over a zone.
///
///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |                             Serial                            |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |    Scheme     |Hash Algorithm |                               |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
///     |                             Digest                            |
///     /                                                               /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// The digest is at least 12 octets (§2.2.4). Presentation: `serial scheme algorithm hex`.
public struct ZONEMD: KnownRDATA {
    public static let rrType = RRType.zonemd
    public var serial: UInt32
    public var scheme: UInt8
    public var hashAlgorithm: UInt8
    public var digest: [UInt8]

    public init(serial: UInt32, scheme: UInt8, hashAlgorithm: UInt8, digest: [UInt8]) {
        self.serial = serial
        self.scheme = scheme
        self.hashAlgorithm = hashAlgorithm
        self.digest = digest
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        serial = try reader.readUInt32()
        scheme = try reader.readUInt8()
        hashAlgorithm = try reader.readUInt8()
        digest = try reader.readRemaining()
        guard digest.count >= 12 else { throw reader.error(.badRDATA, "ZONEMD digest shorter than 12 octets") }
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        serial = try reader.uint32("ZONEMD serial")
        scheme = try reader.uint8("ZONEMD scheme")
        hashAlgorithm = try reader.uint8("ZONEMD hash algorithm")
        let first = reader.peek
        digest = try reader.remainingHex("ZONEMD digest")
        guard digest.count >= 12 else { throw reader.error(.badRDATA, "ZONEMD digest shorter than 12 octets", at: first) }
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeUInt32(serial)
        writer.writeUInt8(scheme)
        writer.writeUInt8(hashAlgorithm)
        writer.writeBytes(digest)
    }

    public var presentation: String { "\(serial) \(scheme) \(hashAlgorithm) \(BinaryText.hex(digest))" }
}
