import DNSWire

/// Proofs with NSEC records (RFC 4035 §5.4, RFC 4592 for wildcards, RFC 6840 §4.1 and §4.3).
///
/// `zone` is the signer of the NSEC records (already checked by the caller); names outside it
/// are never proven.
public enum NSECDenial {
    /// True when `record` proves that `name` does not exist: owner < name < next in canonical
    /// order (the last NSEC of a zone wraps around to the apex), and the owner is not a
    /// delegation point or DNAME whose NSEC could not speak for names below it (RFC 6840 §4.1).
    public static func covers(_ record: NSECRecord, _ name: Name, zone: Name) -> Bool {
        guard name.isSubdomain(of: zone), record.owner.isSubdomain(of: zone) else { return false }
        let owner = record.owner
        let next = record.nsec.nextName
        guard Name.canonicalCompare(owner, name) < 0 else { return false }
        let isLast = Name.canonicalCompare(next, owner) <= 0
        guard isLast || Name.canonicalCompare(name, next) < 0 else { return false }
        if name.isProperSubdomain(of: owner) {
            let types = record.nsec.types
            if types.contains(.dname) { return false }
            if types.contains(.ns) && !types.contains(.soa) { return false }
        }
        // An empty non-terminal: the next name is below `name`, so `name` exists.
        if !isLast, next.isProperSubdomain(of: name) { return false }
        return true
    }

    /// The closest encloser a covering NSEC implies (RFC 4035 §5.4): the longer of the names
    /// `name` shares with the NSEC's owner and with its next name.
    static func closestEncloser(of name: Name, from record: NSECRecord) -> Name {
        let a = commonAncestor(name, record.owner)
        let b = commonAncestor(name, record.nsec.nextName)
        return a.labelCount >= b.labelCount ? a : b
    }

    /// The deepest name both are at or below.
    static func commonAncestor(_ x: Name, _ y: Name) -> Name {
        var candidate = x.labelCount <= y.labelCount ? x : y
        while !(x.isSubdomain(of: candidate) && y.isSubdomain(of: candidate)) {
            guard let parent = candidate.parent else { return .root }
            candidate = parent
        }
        return candidate
    }

    /// NXDOMAIN (RFC 4035 §5.4, RFC 4035 §3.1.3.2): an NSEC covers the name, and an NSEC
    /// covers the wildcard at the closest encloser.
    public static func nameError(_ qname: Name, records: [NSECRecord], zone: Name) -> DenialProof {
        guard let covering = records.first(where: { covers($0, qname, zone: zone) }) else {
            return .notProven("no NSEC proves that \(qname.presentation) does not exist")
        }
        let encloser = closestEncloser(of: qname, from: covering)
        guard let wildcard = try? encloser.wildcard() else {
            return .notProven("no wildcard name under \(encloser.presentation)")
        }
        guard records.contains(where: { covers($0, wildcard, zone: zone) }) else {
            return .notProven("no NSEC proves that \(wildcard.presentation) does not exist")
        }
        return .proven
    }

    /// NODATA (RFC 4035 §3.1.3.1, §5.4): an NSEC at the name without the type and without
    /// CNAME; an empty non-terminal; or a wildcard NODATA (§3.1.3.4): the name does not exist
    /// and the NSEC at the wildcard of its closest encloser lacks the type.
    public static func noData(_ qname: Name, type qtype: RRType, records: [NSECRecord], zone: Name) -> DenialProof {
        if let match = records.first(where: { $0.owner == qname }) {
            return typeAbsent(qtype, at: qname, bitmap: match.nsec.types, zone: zone)
        }
        if emptyNonTerminal(qname, records: records, zone: zone) { return .proven }
        // Wildcard NODATA.
        if let covering = records.first(where: { covers($0, qname, zone: zone) }) {
            let encloser = closestEncloser(of: qname, from: covering)
            if let wildcard = try? encloser.wildcard(), let match = records.first(where: { $0.owner == wildcard }) {
                return typeAbsent(qtype, at: wildcard, bitmap: match.nsec.types, zone: zone)
            }
        }
        return .notProven("no NSEC proves that \(qname.presentation) has no \(qtype)")
    }

    /// The bitmap at a matching NSEC proves NODATA for `qtype`: the type and CNAME are absent,
    /// and for types other than DS it is not a parent-side delegation NSEC (NS without SOA,
    /// RFC 6840 §4.4), which speaks only for the DS. For a DS it is never the child's apex NSEC
    /// (SOA set): the DS lives in the parent zone, and only the parent can deny it (RFC 4035
    /// §5.2, RFC 6840 §4.4), so the child's NSEC of RFC 4035 App. B.8 proves nothing about it.
    static func typeAbsent(_ qtype: RRType, at name: Name, bitmap: TypeBitmap, zone: Name) -> DenialProof {
        if bitmap.contains(qtype) { return .notProven("the NSEC at \(name.presentation) lists \(qtype)") }
        if bitmap.contains(.cname) { return .notProven("the NSEC at \(name.presentation) lists CNAME") }
        if qtype != .ds && bitmap.contains(.ns) && !bitmap.contains(.soa) {
            return .notProven("the NSEC at \(name.presentation) is a delegation, not an answer")
        }
        if qtype == .ds && bitmap.contains(.soa) && !name.isRoot {
            return .notProven("the NSEC at \(name.presentation) is the child zone's apex, which cannot deny a DS")
        }
        return .proven
    }

    /// True when an NSEC shows `qname` to be an empty non-terminal (owner < qname < next, with
    /// next below qname): the name exists and has no data of any type.
    public static func emptyNonTerminal(_ qname: Name, records: [NSECRecord], zone: Name) -> Bool {
        records.contains { record in
            qname.isSubdomain(of: zone) && Name.canonicalCompare(record.owner, qname) < 0
                && record.nsec.nextName.isProperSubdomain(of: qname)
        }
    }

    /// A wildcard answer (RFC 4035 §5.3.4): the NSEC records must show that `qname` does not
    /// exist and that no name closer than the wildcard's parent `source` does.
    public static func wildcardAnswer(_ qname: Name, source: Name, records: [NSECRecord], zone: Name) -> DenialProof {
        for record in records where covers(record, qname, zone: zone) {
            let encloser = closestEncloser(of: qname, from: record)
            if encloser.labelCount == source.labelCount { return .proven }
        }
        return .notProven("no NSEC proves that \(qname.presentation) itself does not exist (wildcard answer)")
    }

    /// The denial of a DS at `name` (RFC 4035 §5.2): a matching NSEC with NS and without DS
    /// and SOA is an insecure delegation; a matching NSEC without NS, or a covering NSEC, shows
    /// no zone cut at `name`.
    public static func dsDenial(_ name: Name, records: [NSECRecord], zone: Name) -> DSDenial {
        if let match = records.first(where: { $0.owner == name }) {
            let types = match.nsec.types
            if types.contains(.ds) { return .notProven("the NSEC at \(name.presentation) lists DS") }
            if types.contains(.soa) && !name.isRoot {
                return .notProven("the NSEC at \(name.presentation) comes from the child zone")
            }
            if types.contains(.cname) { return .noZoneCut }
            return types.contains(.ns) ? .insecureDelegation : .noZoneCut
        }
        if records.contains(where: { covers($0, name, zone: zone) }) { return .noZoneCut }
        for record in records where Name.canonicalCompare(record.owner, name) < 0
            && record.nsec.nextName.isProperSubdomain(of: name)
        {
            return .noZoneCut  // an empty non-terminal
        }
        return .notProven("no NSEC proves the absence of a DS at \(name.presentation)")
    }
}
