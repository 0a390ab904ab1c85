/// SSHFP (RFC 4255 §3.1): an SSH host key fingerprint.
///
///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |   algorithm   |    fp type    |                               /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               /
///     /                                                               /
///     /                          fingerprint                          /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Presentation: `algorithm fptype hex`.
public struct SSHFP: KnownRDATA {
    public static let rrType = RRType.sshfp
    public var algorithm: UInt8
    public var fingerprintType: UInt8
    public var fingerprint: [UInt8]

    public init(algorithm: UInt8, fingerprintType: UInt8, fingerprint: [UInt8]) {
        self.algorithm = algorithm
        self.fingerprintType = fingerprintType
        self.fingerprint = fingerprint
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        algorithm = try reader.readUInt8()
        fingerprintType = try reader.readUInt8()
        fingerprint = try reader.readRemaining()
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        algorithm = try reader.uint8("SSHFP algorithm")
        fingerprintType = try reader.uint8("SSHFP fingerprint type")
        fingerprint = try reader.remainingHex("SSHFP fingerprint", allowEmpty: true)
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeUInt8(algorithm)
        writer.writeUInt8(fingerprintType)
        writer.writeBytes(fingerprint)
    }

    public var presentation: String {
        let head = "\(algorithm) \(fingerprintType)"
        return fingerprint.isEmpty ? head : head + " " + BinaryText.hex(fingerprint)
    }
}
