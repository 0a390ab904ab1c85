/// OPENPGPKEY (RFC 7929 §2.1): an OpenPGP transferable public key.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /               OpenPGP public key              /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// Presentation is base64, which may be split by whitespace.
public struct OPENPGPKEY: KnownRDATA {
    public static let rrType = RRType.openpgpkey
    public var key: [UInt8]

    public init(key: [UInt8]) { self.key = key }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        key = try reader.readRemaining()
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        key = try reader.remainingBase64("OpenPGP key", allowEmpty: true)
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) { writer.writeBytes(key) }

    public var presentation: String { BinaryText.base64(key) }
}
