/// TXT (RFC 1035 §3.3.14): one or more character-strings.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                   TXT-DATA                    /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// TXT-DATA is one or more <character-string>s (length octet + up to 255 octets).
public struct TXT: KnownRDATA {
    public static let rrType = RRType.txt
    /// At least one string, each at most 255 octets.
    public var strings: [[UInt8]]

    public init(strings: [[UInt8]]) { self.strings = strings }
    public init(_ strings: String...) { self.strings = strings.map { Array($0.utf8) } }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        guard !reader.isAtEnd else { throw reader.error(.badRDATA, "TXT RDATA needs at least one string") }
        strings = []
        while !reader.isAtEnd { strings.append(try reader.readCharacterString()) }
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        strings = [try reader.characterString("TXT string")]
        while !reader.isAtEnd { strings.append(try reader.characterString("TXT string")) }
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        guard !strings.isEmpty else { throw DNSWireError(.badRDATA, "TXT needs at least one string") }
        for string in strings { try writer.writeCharacterString(string) }
    }

    public var presentation: String { strings.map(characterStringPresentation).joined(separator: " ") }
}
