/// DS (RFC 4034 §5.1): the digest of a child zone's DNSKEY, held by the parent.
///
///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |           Key Tag             |  Algorithm    |  Digest Type  |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     /                            Digest                             /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// Presentation: `keytag algorithm digesttype hex` (the hex may be split by spaces).
public struct DS: DelegationSignerRDATA {
    public static let rrType = RRType.ds
    public var keyTag: UInt16
    public var algorithm: DNSSECAlgorithm
    public var digestType: DigestType
    public var digest: [UInt8]

    public init(keyTag: UInt16, algorithm: DNSSECAlgorithm, digestType: DigestType, digest: [UInt8]) {
        self.keyTag = keyTag
        self.algorithm = algorithm
        self.digestType = digestType
        self.digest = digest
    }
}

/// The shared layout of DS and CDS.
public protocol DelegationSignerRDATA: KnownRDATA {
    var keyTag: UInt16 { get }
    var algorithm: DNSSECAlgorithm { get }
    var digestType: DigestType { get }
    var digest: [UInt8] { get }
    init(keyTag: UInt16, algorithm: DNSSECAlgorithm, digestType: DigestType, digest: [UInt8])
}

extension DelegationSignerRDATA {
    public init(from reader: inout DNSReader) throws(DNSWireError) {
        let keyTag = try reader.readUInt16()
        let algorithm = DNSSECAlgorithm(try reader.readUInt8())
        let digestType = DigestType(try reader.readUInt8())
        self.init(keyTag: keyTag, algorithm: algorithm, digestType: digestType, digest: try reader.readRemaining())
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        let keyTag = try reader.uint16("key tag")
        let algorithm = try reader.algorithm("algorithm")
        let digestType = DigestType(try reader.uint8("digest type"))
        self.init(keyTag: keyTag, algorithm: algorithm, digestType: digestType,
                  digest: try reader.remainingHex("digest", allowEmpty: true))
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeUInt16(keyTag)
        writer.writeUInt8(algorithm.rawValue)
        writer.writeUInt8(digestType.rawValue)
        writer.writeBytes(digest)
    }

    public var presentation: String {
        let head = "\(keyTag) \(algorithm.rawValue) \(digestType.rawValue)"
        return digest.isEmpty ? head : head + " " + BinaryText.hex(digest).uppercased()
    }
}
