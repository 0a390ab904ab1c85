/// CAA (RFC 8659 §4.1): which certification authorities may issue for a domain.
///
///     +0-1-2-3-4-5-6-7-|0-1-2-3-4-5-6-7-|
///     | Flags          | Tag Length = n |
///     +----------------|----------------+...+---------------+
///     | Tag char 0     | Tag char 1     |...| Tag char n-1  |
///     +----------------|----------------+...+---------------+
///     +----------------|----------------+.....+----------------+
///     | Value byte 0   | Value byte 1   |.....| Value byte m-1 |
///     +----------------|----------------+.....+----------------+
///
/// The tag is 1...15 ASCII letters and digits; the value is the rest of the RDATA.
/// Presentation: `flags tag "value"` (the value may be longer than 255 octets).
public struct CAA: KnownRDATA {
    public static let rrType = RRType.caa
    public var flags: UInt8
    public var tag: [UInt8]
    public var value: [UInt8]

    /// Issuer Critical flag (bit 0, value 128).
    public var isCritical: Bool { flags & 0x80 != 0 }

    public init(flags: UInt8 = 0, tag: String, value: String) {
        self.flags = flags
        self.tag = Array(tag.utf8)
        self.value = Array(value.utf8)
    }

    public init(flags: UInt8, tag: [UInt8], value: [UInt8]) {
        self.flags = flags
        self.tag = tag
        self.value = value
    }

    static func isValidTag(_ tag: [UInt8]) -> Bool {
        (1...15).contains(tag.count) && tag.allSatisfy { isDigit($0) || (($0 | 0x20) &- 0x61) < 26 }
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        flags = try reader.readUInt8()
        tag = try reader.readCharacterString()
        guard CAA.isValidTag(tag) else { throw reader.error(.badRDATA, "CAA tag must be 1...15 letters or digits") }
        value = try reader.readRemaining()
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        flags = try reader.uint8("CAA flags")
        let tagToken = try reader.next("CAA tag")
        tag = tagToken.text
        guard CAA.isValidTag(tag) else { throw reader.error(.badSyntax, "CAA tag must be 1...15 letters or digits", at: tagToken) }
        value = try decodeEscapedText(try reader.next("CAA value"))
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeUInt8(flags)
        try writer.writeCharacterString(tag)
        writer.writeBytes(value)
    }

    public var presentation: String {
        "\(flags) \(String(decoding: tag, as: UTF8.self)) \(characterStringPresentation(value))"
    }
}
