/// The order in which a zone is printed and walked: owner names in canonical order (RFC 4034
/// §6.1), then RRsets by type code. One exception: the SOA of an owner comes before that
/// owner's other types, so a zone printed in this order starts with its SOA as master files
/// conventionally do (the apex sorts before every name below it). RRSIG sets of one owner
/// follow the code of the type they cover. Within an RRset, records follow canonical RRset
/// order (§6.3).
public enum CanonicalZoneOrder {
    /// True when an RRset of `lhs` comes before one of `rhs`.
    public static func precedes(
        _ lhs: (owner: Name, type: RRType, rrClass: RRClass), _ rhs: (owner: Name, type: RRType, rrClass: RRClass)
    ) -> Bool {
        let byName = Name.canonicalCompare(lhs.owner, rhs.owner)
        if byName != 0 { return byName < 0 }
        if lhs.type != rhs.type {
            if lhs.type == .soa { return true }
            if rhs.type == .soa { return false }
            return lhs.type < rhs.type
        }
        return lhs.rrClass.rawValue < rhs.rrClass.rawValue
    }

    /// `rrsets` in canonical zone order, each with its records in canonical RRset order.
    public static func sorted(_ rrsets: [RRset]) throws(DNSWireError) -> [RRset] {
        var result: [RRset] = []
        result.reserveCapacity(rrsets.count)
        for rrset in rrsets { result.append(try rrset.canonicallyOrdered()) }
        result.sort {
            if Name.canonicalCompare($0.owner, $1.owner) == 0, $0.type == .rrsig, $1.type == .rrsig,
                $0.rrClass == $1.rrClass
            {
                return ($0.covered?.rawValue ?? 0) < ($1.covered?.rawValue ?? 0)
            }
            return precedes(($0.owner, $0.type, $0.rrClass), ($1.owner, $1.type, $1.rrClass))
        }
        return result
    }

    /// `records` grouped into RRsets (``RRset/group(_:)``: duplicates removed, one TTL per set)
    /// and put in canonical zone order.
    public static func sorted(_ records: [Record]) throws(DNSWireError) -> [RRset] {
        try sorted(RRset.group(records))
    }
}
