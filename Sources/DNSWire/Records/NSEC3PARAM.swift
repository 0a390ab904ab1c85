/// NSEC3PARAM (RFC 5155 §4.2): the NSEC3 parameters an authoritative server uses.
///
///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |   Hash Alg.   |     Flags     |          Iterations           |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |  Salt Length  |                     Salt                      /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Presentation: `alg flags iterations salt` with `-` for an empty salt.
public struct NSEC3PARAM: KnownRDATA {
    public static let rrType = RRType.nsec3param
    public var hashAlgorithm: UInt8
    public var flags: UInt8
    public var iterations: UInt16
    public var salt: [UInt8]

    public init(hashAlgorithm: UInt8 = 1, flags: UInt8 = 0, iterations: UInt16, salt: [UInt8]) {
        self.hashAlgorithm = hashAlgorithm
        self.flags = flags
        self.iterations = iterations
        self.salt = salt
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        hashAlgorithm = try reader.readUInt8()
        flags = try reader.readUInt8()
        iterations = try reader.readUInt16()
        salt = try reader.readCharacterString()
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        hashAlgorithm = try reader.uint8("hash algorithm")
        flags = try reader.uint8("flags")
        iterations = try reader.uint16("iterations")
        salt = try reader.salt()
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeUInt8(hashAlgorithm)
        writer.writeUInt8(flags)
        writer.writeUInt16(iterations)
        try writer.writeCharacterString(salt)
    }

    public var presentation: String { "\(hashAlgorithm) \(flags) \(iterations) \(saltPresentation(salt))" }
}
