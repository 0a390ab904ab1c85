/// The canonical form of an RRset as DNSSEC hashes and signs it (RFC 4034 §6.2-6.3).
///
/// Works on uncompressed wire bytes, so it serves both records parsed from a zone file and
/// records taken from a message.
public enum CanonicalRRsetForm {
    /// The canonical RDATA of each record (RFC 4034 §6.2), in canonical RRset order (§6.3):
    /// sorted as left-justified unsigned octet strings where a shorter string that is a prefix
    /// of a longer one sorts first. Duplicates are removed, as §6.3 allows a liberal
    /// implementation to do ("MUST remove all but one").
    public static func orderedRDATA(_ rdatas: [[UInt8]], type: RRType) -> [[UInt8]] {
        let canonical = rdatas.map { CanonicalRDATA.canonical($0, type: type) }
        let sorted = canonical.sorted { $0.lexicographicallyPrecedes($1) }
        var unique: [[UInt8]] = []
        unique.reserveCapacity(sorted.count)
        for rdata in sorted where unique.last != rdata {
            unique.append(rdata)
        }
        return unique
    }

    /// The records of the RRset one after another in canonical form: for each RDATA in canonical
    /// order, `owner | type | class | TTL | RDLENGTH | RDATA`, with the owner lower-cased.
    ///
    /// `owner` is used as given apart from case: a caller that signs a wildcard-expanded RRset
    /// passes the wildcard name (see ``RRSIGSignedData``).
    public static func wire(
        owner: Name, type: RRType, rrClass: RRClass, ttl: UInt32, rdatas: [[UInt8]]
    ) throws(DNSWireError) -> [UInt8] {
        let ownerWire = owner.lowercased().wire
        var bytes: [UInt8] = []
        for rdata in orderedRDATA(rdatas, type: type) {
            guard rdata.count <= 0xFFFF else {
                throw DNSWireError(.tooLarge, "RDATA of \(rdata.count) octets is over 65535")
            }
            bytes.append(contentsOf: ownerWire)
            appendUInt16(type.rawValue, to: &bytes)
            appendUInt16(rrClass.rawValue, to: &bytes)
            appendUInt16(UInt16(truncatingIfNeeded: ttl >> 16), to: &bytes)
            appendUInt16(UInt16(truncatingIfNeeded: ttl), to: &bytes)
            appendUInt16(UInt16(rdata.count), to: &bytes)
            bytes.append(contentsOf: rdata)
        }
        return bytes
    }

    static func appendUInt16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }
}
