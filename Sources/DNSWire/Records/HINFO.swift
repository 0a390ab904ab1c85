/// HINFO (RFC 1035 §3.3.2): host information, two character-strings.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                      CPU                      /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                       OS                      /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// No names inside, so nothing changes in canonical form (RFC 6840 §5.1).
public struct HINFO: KnownRDATA {
    public static let rrType = RRType.hinfo
    public var cpu: [UInt8]
    public var os: [UInt8]

    public init(cpu: [UInt8], os: [UInt8]) {
        self.cpu = cpu
        self.os = os
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        cpu = try reader.readCharacterString()
        os = try reader.readCharacterString()
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        cpu = try reader.characterString("HINFO CPU")
        os = try reader.characterString("HINFO OS")
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        try writer.writeCharacterString(cpu)
        try writer.writeCharacterString(os)
    }

    public var presentation: String { "\(characterStringPresentation(cpu)) \(characterStringPresentation(os))" }
}
