import DNSWire

/// One authoritative zone, indexed so that answering never scans it (DESIGN.md: answering is
/// a few hash lookups and binary searches per query):
///
/// - every owner name, and every empty non-terminal between an owner and the apex, is a key of
///   a hash table (``Name`` hashes without regard to case, RFC 4343);
/// - the owners of NSEC records are kept in canonical order (RFC 4034 §6.1) to find the NSEC
///   that covers a name by binary search;
/// - NSEC3 records are kept sorted by their hashed owner (``NSEC3Chain``).
///
/// Data below a zone cut (glue) stays in the table, so referrals find it, but lookups stop at
/// the cut (RFC 1034 §4.3.2 step 3b).
public struct Zone: Sendable {
    /// The apex.
    public let origin: Name
    /// The zone's class (IN).
    public let rrClass: RRClass
    /// The SOA record at the apex.
    public let soaRecord: Record
    public let soa: SOA
    var nodes: [Name: ZoneNode]
    /// Owners of NSEC records in canonical order; empty for zones without an NSEC chain.
    let nsecOwners: [Name]
    /// The NSEC3 chain, when the zone has one.
    let nsec3: NSEC3Chain?
    /// Problems that did not stop the load (records outside the zone, ...), for the log.
    public let warnings: [String]

    /// The number of owner names (with empty non-terminals).
    public var nodeCount: Int { nodes.count }

    /// True when the zone is signed (it has a DNSKEY set at the apex).
    public var isSigned: Bool { nodes[origin]?.has(.dnskey) ?? false }

    /// Builds the zone from its records. Records outside the zone are left out (with a
    /// warning); the zone must have exactly one SOA, at `origin`.
    public init(origin: Name, records: [Record]) throws(ZoneError) {
        self.origin = origin
        var warnings: [String] = []
        var soaRecords: [Record] = []
        var outside = 0
        var inZone: [Record] = []
        inZone.reserveCapacity(records.count)
        for record in records {
            guard record.owner.isSubdomain(of: origin) else {
                outside += 1
                continue
            }
            if record.type == .soa {
                guard record.owner == origin else {
                    throw ZoneError(.badSOA, "SOA at \(record.owner.presentation), not at the apex \(origin.presentation)")
                }
                soaRecords.append(record)
            }
            inZone.append(record)
        }
        if outside > 0 {
            warnings.append("\(outside) record(s) outside \(origin.presentation) ignored")
        }
        guard soaRecords.count >= 1, let soaRecord = soaRecords.first, let soa = soaRecord.rdata as? SOA else {
            throw ZoneError(.badSOA, "no SOA record at the apex \(origin.presentation)")
        }
        let rrClass = soaRecord.rrClass
        if let stray = inZone.first(where: { $0.rrClass != rrClass }) {
            throw ZoneError(.badClass, "record \(stray.owner.presentation) \(stray.type) is of class \(stray.rrClass), the zone of \(rrClass)")
        }
        let rrsets: [RRset]
        do {
            rrsets = try RRset.group(inZone)
        } catch {
            throw ZoneError(.unreadable, "bad record data: \(error)")
        }
        if rrsets.contains(where: { $0.type == .soa && $0.rdatas.count > 1 }) {
            throw ZoneError(.badSOA, "more than one SOA record at \(origin.presentation)")
        }

        var nodes: [Name: ZoneNode] = [:]
        nodes.reserveCapacity(rrsets.count)
        nodes[origin] = ZoneNode()
        for rrset in rrsets {
            let owner = rrset.owner
            if let covered = rrset.covered {
                nodes[owner, default: ZoneNode()].signatures[covered, default: []].append(contentsOf: rrset.records)
            } else {
                nodes[owner, default: ZoneNode()].rrsets[rrset.type] = rrset.records
            }
            // Empty non-terminals: every name between the owner and the apex exists. An
            // ancestor already present had its own ancestors added when it was.
            var ancestor = owner.parent
            while let name = ancestor, name.isProperSubdomain(of: origin) || name == origin {
                if nodes[name] != nil { break }
                nodes[name] = ZoneNode()
                ancestor = name.parent
            }
        }
        self.rrClass = rrClass
        self.soaRecord = soaRecord
        self.soa = soa
        self.nodes = nodes
        self.nsecOwners = nodes.compactMap { $0.value.has(.nsec) ? $0.key : nil }.sorted()
        self.nsec3 = NSEC3Chain(origin: origin, nodes: nodes)
        self.warnings = warnings
    }

    /// The node at `name`, if the name exists in the zone (data or empty non-terminal).
    func node(_ name: Name) -> ZoneNode? { nodes[name] }

    /// True when `name` is a delegation point: NS records below the apex (RFC 1034 §4.2.1).
    func isDelegation(_ name: Name, _ node: ZoneNode) -> Bool {
        node.has(.ns) && name != origin
    }

    /// The TTL of negative answers: min(SOA TTL, SOA MINIMUM) (RFC 2308 §3, §5).
    var negativeTTL: UInt32 { min(soaRecord.ttl, soa.minimum) }

    /// The NSEC record whose owner is the greatest owner not after `name` in canonical order:
    /// the NSEC at `name` itself, or the one covering it (RFC 4034 §4.1). Wraps to the last
    /// NSEC for names before the first (which cannot happen below the apex).
    func nsecOwner(atOrBefore name: Name) -> Name? {
        guard !nsecOwners.isEmpty else { return nil }
        var low = 0
        var high = nsecOwners.count
        while low < high {
            let middle = (low + high) / 2
            if Name.canonicalCompare(nsecOwners[middle], name) <= 0 { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nsecOwners[nsecOwners.count - 1] : nsecOwners[low - 1]
    }
}
