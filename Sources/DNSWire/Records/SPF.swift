/// SPF (RFC 7208 §3.1, type 99, deprecated in favour of TXT): the same layout as TXT.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                   TXT-DATA                    /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
public struct SPF: KnownRDATA {
    public static let rrType = RRType.spf
    public var strings: [[UInt8]]

    public init(strings: [[UInt8]]) { self.strings = strings }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        strings = try TXT(from: &reader).strings
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        strings = try TXT(presentation: &reader).strings
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        try TXT(strings: strings).write(to: &writer)
    }

    public var presentation: String { TXT(strings: strings).presentation }
}
