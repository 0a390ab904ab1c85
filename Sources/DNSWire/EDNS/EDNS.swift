/// The EDNS(0) information of a message (RFC 6891 §6.1.3), taken out of its OPT pseudo-record.
///
///                 +0 (MSB)                            +1 (LSB)
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
///     0: |         EXTENDED-RCODE        |            VERSION            |
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
///     2: | DO|                           Z                               |
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
///
/// (the OPT record's TTL field); CLASS carries the UDP payload size.
public struct EDNS: Hashable, Sendable {
    /// The largest UDP payload the sender can reassemble; values under 512 are read as 512
    /// by `effectivePayloadSize` (RFC 6891 §6.2.5).
    public var udpPayloadSize: UInt16
    /// The upper 8 bits of the 12-bit RCODE (the header has the lower 4).
    public var extendedRCode: UInt8
    public var version: UInt8
    /// DNSSEC OK (RFC 3225).
    public var dnssecOK: Bool
    /// The remaining 15 flag bits, kept as received (must be zero when sent, §6.1.4).
    public var z: UInt16
    public var options: [EDNSOption]

    public init(udpPayloadSize: UInt16 = 1232, extendedRCode: UInt8 = 0, version: UInt8 = 0,
                dnssecOK: Bool = false, z: UInt16 = 0, options: [EDNSOption] = []) {
        self.udpPayloadSize = udpPayloadSize
        self.extendedRCode = extendedRCode
        self.version = version
        self.dnssecOK = dnssecOK
        self.z = z & 0x7FFF
        self.options = options
    }

    public var effectivePayloadSize: Int { max(512, Int(udpPayloadSize)) }

    /// The first Extended DNS Error option, if any.
    public var extendedError: ExtendedDNSError? {
        for case .extendedError(let error) in options { return error }
        return nil
    }

    /// The cookie option, if any.
    public var cookie: Cookie? {
        for case .cookie(let cookie) in options { return cookie }
        return nil
    }

    /// From the parts of an OPT record.
    public init(opt record: Record) throws(DNSWireError) {
        guard record.owner.isRoot else {
            throw DNSWireError(.badMessage, "OPT owner must be the root (RFC 6891 §6.1.2)")
        }
        let options: [EDNSOption]
        if let opt = record.rdata as? OPT {
            options = opt.options
        } else if let unknown = record.rdata as? UnknownRDATA, unknown.data.isEmpty {
            options = []
        } else {
            throw DNSWireError(.badMessage, "OPT record without OPT RDATA")
        }
        self.init(udpPayloadSize: record.rrClass.rawValue,
                  extendedRCode: UInt8(record.ttl >> 24),
                  version: UInt8(truncatingIfNeeded: record.ttl >> 16),
                  dnssecOK: record.ttl & 0x8000 != 0,
                  z: UInt16(truncatingIfNeeded: record.ttl) & 0x7FFF,
                  options: options)
    }

    /// The OPT pseudo-record for the additional section.
    public var optRecord: Record {
        let ttl = UInt32(extendedRCode) << 24 | UInt32(version) << 16 | (dnssecOK ? 0x8000 : 0) | UInt32(z & 0x7FFF)
        return Record(owner: .root, rrClass: RRClass(udpPayloadSize), ttl: ttl, rdata: OPT(options: options))
    }
}
