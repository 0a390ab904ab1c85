/// The records of one owner name, class and type (RFC 2181 §5): the unit DNSSEC signs.
///
/// RRSIG records are grouped by the type they cover as well (``covered``): signatures over
/// different RRsets are separate sets with their own TTLs (RFC 4034 §3, RFC 4035 §2.2), as
/// dnspython and validators treat them. The owner keeps the case it was first seen with;
/// comparisons of owners ignore case.
public struct RRset: Sendable {
    public var owner: Name
    public var type: RRType
    public var rrClass: RRClass
    /// For a set of RRSIGs, the Type Covered of all of them; nil for every other type.
    public var covered: RRType?
    /// One TTL for the whole set: the lowest of its records' TTLs (RFC 2181 §5.2).
    public var ttl: UInt32
    /// The RDATA of each record, in the order first seen, without duplicates.
    public var rdatas: [any RDATA]

    public init(
        owner: Name, type: RRType, rrClass: RRClass, covered: RRType? = nil, ttl: UInt32, rdatas: [any RDATA]
    ) {
        self.owner = owner
        self.type = type
        self.rrClass = rrClass
        self.covered = covered
        self.ttl = ttl
        self.rdatas = rdatas
    }

    /// The set as records, each with the set's TTL.
    public var records: [Record] {
        rdatas.map { Record(owner: owner, rrClass: rrClass, ttl: ttl, rdata: $0) }
    }

    /// The canonical RDATA of every record (RFC 4034 §6.2) in canonical RRset order (§6.3).
    public func canonicalRDATA() throws(DNSWireError) -> [[UInt8]] {
        CanonicalRRsetForm.orderedRDATA(try wireRDATA(), type: type)
    }

    /// The whole set in canonical form and order, with `ttl` (for instance an RRSIG's Original
    /// TTL) or the set's own TTL.
    public func canonicalWire(ttl: UInt32? = nil) throws(DNSWireError) -> [UInt8] {
        try CanonicalRRsetForm.wire(
            owner: owner, type: type, rrClass: rrClass, ttl: ttl ?? self.ttl, rdatas: wireRDATA())
    }

    /// The same set with its records in canonical RRset order (RFC 4034 §6.3) and without
    /// duplicates.
    public func canonicallyOrdered() throws(DNSWireError) -> RRset {
        var keyed: [(canonical: [UInt8], rdata: any RDATA)] = []
        keyed.reserveCapacity(rdatas.count)
        for rdata in rdatas {
            keyed.append((CanonicalRDATA.canonical(try rdata.wireRDATA(), type: type), rdata))
        }
        keyed.sort { $0.canonical.lexicographicallyPrecedes($1.canonical) }
        var copy = self
        copy.rdatas = []
        var previous: [UInt8]?
        for entry in keyed where entry.canonical != previous {
            copy.rdatas.append(entry.rdata)
            previous = entry.canonical
        }
        return copy
    }

    func wireRDATA() throws(DNSWireError) -> [[UInt8]] {
        var result: [[UInt8]] = []
        result.reserveCapacity(rdatas.count)
        for rdata in rdatas { result.append(try rdata.wireRDATA()) }
        return result
    }

    private struct Key: Hashable {
        var owner: Name  // Name's == and hash ignore case
        var type: RRType
        var rrClass: RRClass
        var covered: RRType?
    }

    /// Groups `records` into RRsets (RRSIGs by covered type too), in the order each set first appears. Records whose
    /// canonical RDATA is equal count once (RFC 2181 §5: an RRset has no duplicates).
    public static func group(_ records: [Record]) throws(DNSWireError) -> [RRset] {
        var sets: [RRset] = []
        var seenRDATA: [Set<[UInt8]>] = []
        var indexByKey: [Key: Int] = [:]
        for record in records {
            let wire = try record.rdata.wireRDATA()
            let covered = record.type == .rrsig && wire.count >= 2 ? RRType(UInt16(wire[0]) << 8 | UInt16(wire[1])) : nil
            let key = Key(owner: record.owner, type: record.type, rrClass: record.rrClass, covered: covered)
            let canonical = CanonicalRDATA.canonical(wire, type: record.type)
            if let index = indexByKey[key] {
                sets[index].ttl = min(sets[index].ttl, record.ttl)
                if seenRDATA[index].insert(canonical).inserted {
                    sets[index].rdatas.append(record.rdata)
                }
            } else {
                indexByKey[key] = sets.count
                sets.append(
                    RRset(
                        owner: record.owner, type: record.type, rrClass: record.rrClass, covered: covered,
                        ttl: record.ttl, rdatas: [record.rdata]))
                seenRDATA.append([canonical])
            }
        }
        return sets
    }
}
