/// A: an IPv4 address (RFC 1035 §3.4.1).
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                    ADDRESS                    |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// ADDRESS is 32 bits; presentation is a dotted quad.
public struct A: KnownRDATA {
    public static let rrType = RRType.a
    /// Four octets, network order.
    public var address: (UInt8, UInt8, UInt8, UInt8)

    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) { address = (a, b, c, d) }

    /// Nil unless exactly four octets.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 else { return nil }
        address = (bytes[0], bytes[1], bytes[2], bytes[3])
    }

    public var bytes: [UInt8] { [address.0, address.1, address.2, address.3] }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        let value = try reader.readUInt32()
        guard reader.isAtEnd else { throw reader.error(.badRDATA, "A RDATA must be 4 octets") }
        address = (UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16),
                   UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value))
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        let token = try reader.next("IPv4 address")
        guard let bytes = IPAddressText.parseIPv4(token.text) else {
            throw reader.error(.badSyntax, "not an IPv4 address", at: token)
        }
        address = (bytes[0], bytes[1], bytes[2], bytes[3])
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) { writer.writeBytes(bytes) }

    public var presentation: String { IPAddressText.formatIPv4(bytes) }

    public static func == (lhs: A, rhs: A) -> Bool { lhs.bytes == rhs.bytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
