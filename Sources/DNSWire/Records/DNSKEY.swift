/// DNSKEY (RFC 4034 §2.1): a zone's public key.
///
///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |              Flags            |    Protocol   |   Algorithm   |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     /                            Public Key                         /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Flags bit 7 is Zone Key, bit 15 Secure Entry Point (RFC 4034 §2.1.1), bit 8 REVOKE
/// (RFC 5011). Protocol must be 3 to be used (RFC 4034 §2.1.2) but any value is kept.
public struct DNSKEY: DNSKEYRDATA {
    public static let rrType = RRType.dnskey
    public var flags: UInt16
    public var protocolValue: UInt8
    public var algorithm: DNSSECAlgorithm
    public var publicKey: [UInt8]

    public init(flags: UInt16, protocolValue: UInt8 = 3, algorithm: DNSSECAlgorithm, publicKey: [UInt8]) {
        self.flags = flags
        self.protocolValue = protocolValue
        self.algorithm = algorithm
        self.publicKey = publicKey
    }
}

/// The shared layout of DNSKEY and CDNSKEY.
public protocol DNSKEYRDATA: KnownRDATA {
    var flags: UInt16 { get }
    var protocolValue: UInt8 { get }
    var algorithm: DNSSECAlgorithm { get }
    var publicKey: [UInt8] { get }
    init(flags: UInt16, protocolValue: UInt8, algorithm: DNSSECAlgorithm, publicKey: [UInt8])
}

extension DNSKEYRDATA {
    /// Zone Key flag (bit 7, value 0x0100).
    public var isZoneKey: Bool { flags & 0x0100 != 0 }
    /// Secure Entry Point flag (bit 15, value 0x0001).
    public var isSecureEntryPoint: Bool { flags & 0x0001 != 0 }
    /// REVOKE flag (RFC 5011 §7, bit 8, value 0x0080).
    public var isRevoked: Bool { flags & 0x0080 != 0 }

    /// The key tag of RFC 4034 App. B (App. B.1 for algorithm 1).
    public var keyTag: UInt16 {
        if algorithm == .rsaMD5 {
            // B.1: the most significant 16 of the least significant 24 bits of the modulus.
            guard publicKey.count >= 3 else { return 0 }
            return UInt16(publicKey[publicKey.count - 3]) << 8 | UInt16(publicKey[publicKey.count - 2])
        }
        var sum: UInt32 = UInt32(flags) &+ UInt32(protocolValue) << 8 &+ UInt32(algorithm.rawValue)
        for (index, byte) in publicKey.enumerated() {
            sum &+= index & 1 == 0 ? UInt32(byte) << 8 : UInt32(byte)
        }
        sum &+= (sum >> 16) & 0xFFFF
        return UInt16(truncatingIfNeeded: sum)
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        let flags = try reader.readUInt16()
        let protocolValue = try reader.readUInt8()
        let algorithm = DNSSECAlgorithm(try reader.readUInt8())
        self.init(flags: flags, protocolValue: protocolValue, algorithm: algorithm, publicKey: try reader.readRemaining())
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        let flags = try reader.uint16("flags")
        let protocolValue = try reader.uint8("protocol")
        let algorithm = try reader.algorithm("algorithm")
        self.init(flags: flags, protocolValue: protocolValue, algorithm: algorithm,
                  publicKey: try reader.remainingBase64("public key", allowEmpty: true))
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeUInt16(flags)
        writer.writeUInt8(protocolValue)
        writer.writeUInt8(algorithm.rawValue)
        writer.writeBytes(publicKey)
    }

    public var presentation: String {
        "\(flags) \(protocolValue) \(algorithm.rawValue) \(BinaryText.base64(publicKey))"
    }
}
