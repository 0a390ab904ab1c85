/// AAAA: an IPv6 address (RFC 3596 §2.2).
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |              ADDRESS (128 bits)               |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// Presentation is RFC 4291 text; printed in RFC 5952 form.
public struct AAAA: KnownRDATA {
    public static let rrType = RRType.aaaa
    /// Sixteen octets, network order.
    public private(set) var bytes: [UInt8]

    /// Nil unless exactly sixteen octets.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        guard reader.remaining == 16 else { throw reader.error(.badRDATA, "AAAA RDATA must be 16 octets") }
        bytes = try reader.readBytes(16)
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        let token = try reader.next("IPv6 address")
        guard let bytes = IPAddressText.parseIPv6(token.text) else {
            throw reader.error(.badSyntax, "not an IPv6 address", at: token)
        }
        self.bytes = bytes
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) { writer.writeBytes(bytes) }

    public var presentation: String { IPAddressText.formatIPv6(bytes) }
}
