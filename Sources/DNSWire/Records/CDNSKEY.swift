/// CDNSKEY (RFC 7344 §3.2): the child's copy of a DNSKEY it wants the parent to point at;
/// same layout as DNSKEY.
///
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     |              Flags            |    Protocol   |   Algorithm   |
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     /                            Public Key                         /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// `0 3 0 AA==` asks the parent to delete the DS RRset (RFC 8078 §4).
public struct CDNSKEY: DNSKEYRDATA {
    public static let rrType = RRType.cdnskey
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
