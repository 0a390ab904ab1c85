/// NAPTR (RFC 3403 §4.1): a rewrite rule of the Dynamic Delegation Discovery System.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                     ORDER                     |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                   PREFERENCE                  |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                     FLAGS                     /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                   SERVICES                    /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                    REGEXP                     /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                  REPLACEMENT                  /
///     /                                               /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// FLAGS, SERVICES and REGEXP are <character-string>s. REPLACEMENT is not compressed on
/// write (RFC 3403 §4.1) and is lower-cased in canonical form (RFC 4034 §6.2).
public struct NAPTR: KnownRDATA {
    public static let rrType = RRType.naptr
    public var order: UInt16
    public var preference: UInt16
    public var flags: [UInt8]
    public var services: [UInt8]
    public var regexp: [UInt8]
    public var replacement: Name

    public init(order: UInt16, preference: UInt16, flags: [UInt8], services: [UInt8], regexp: [UInt8], replacement: Name) {
        self.order = order
        self.preference = preference
        self.flags = flags
        self.services = services
        self.regexp = regexp
        self.replacement = replacement
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        order = try reader.readUInt16()
        preference = try reader.readUInt16()
        flags = try reader.readCharacterString()
        services = try reader.readCharacterString()
        regexp = try reader.readCharacterString()
        replacement = try reader.readName()
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        order = try reader.uint16("NAPTR order")
        preference = try reader.uint16("NAPTR preference")
        flags = try reader.characterString("NAPTR flags")
        services = try reader.characterString("NAPTR services")
        regexp = try reader.characterString("NAPTR regexp")
        replacement = try reader.name("NAPTR replacement")
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeUInt16(order)
        writer.writeUInt16(preference)
        try writer.writeCharacterString(flags)
        try writer.writeCharacterString(services)
        try writer.writeCharacterString(regexp)
        writer.writeName(replacement, compressible: false, lowercaseWhenCanonical: true)
    }

    public var presentation: String {
        "\(order) \(preference) \(characterStringPresentation(flags)) \(characterStringPresentation(services)) "
            + "\(characterStringPresentation(regexp)) \(replacement.presentation)"
    }
}
