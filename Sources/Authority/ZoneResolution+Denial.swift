import DNSWire

/// Denial of existence for ``ZoneResolution``: the negative SOA (RFC 2308) and, with DO,
/// the NSEC (RFC 4035 §3.1.3) or NSEC3 (RFC 5155 §7.2) records that prove it.
extension ZoneResolution {
    mutating func addNegativeSOA() {
        let ttl = zone.negativeTTL
        var soa = zone.soaRecord
        soa.ttl = ttl
        var signatures: [Record] = []
        if dnssecOK {
            for record in zone.node(zone.origin)?.signatures[.soa] ?? [] {
                var copy = record
                copy.ttl = ttl
                signatures.append(copy)
            }
        }
        sections.add([soa], signatures: signatures, to: .authority)
    }

    /// NODATA (RFC 2308 §2.2): SOA in authority; with DO the NSEC at the name (RFC 4035
    /// §3.1.3.1), or NSEC3 matching it (RFC 5155 §7.2.3-4); for a wildcard, the proof that the
    /// name does not exist and the denial at the wildcard (RFC 4035 §3.1.3.4, RFC 5155 §7.2.5).
    mutating func noData(owner: Name, wildcard: WildcardMatch?) {
        addNegativeSOA()
        guard dnssecOK else { return }
        if !zone.nsecOwners.isEmpty {
            addNSEC(atOrBefore: owner)  // at the name, or covering it for an empty non-terminal
            if let wildcard { addNSEC(atOrBefore: wildcard.wildcard) }
        } else if let chain = zone.nsec3 {
            if let wildcard {
                _ = addNSEC3ClosestEncloserProof(of: owner, from: wildcard.closestEncloser)
                if let match = chain.matching(wildcard.wildcard) { addNSEC3(match) }
            } else if let match = chain.matching(owner) {
                addNSEC3(match)
            } else if let parent = owner.parent {
                // No NSEC3 for the name: an empty non-terminal or delegation under opt-out
                // (RFC 5155 §7.2.4): prove the closest provable encloser instead.
                _ = addNSEC3ClosestEncloserProof(of: owner, from: parent)
            }
        }
    }

    /// NXDOMAIN (RFC 1034 §4.3.2 step 3c): SOA in authority; with DO the NSEC covering the
    /// name and the one covering the wildcard at the closest encloser (RFC 4035 §3.1.3.2),
    /// or the NSEC3 closest encloser proof and the wildcard cover (RFC 5155 §7.2.2).
    mutating func nameError(name: Name, closestEncloser: Name) {
        rcode = .nxDomain
        addNegativeSOA()
        guard dnssecOK else { return }
        if !zone.nsecOwners.isEmpty {
            addNSEC(atOrBefore: name)
            if let wildcard = try? closestEncloser.wildcard() { addNSEC(atOrBefore: wildcard) }
        } else if let chain = zone.nsec3 {
            let encloser = addNSEC3ClosestEncloserProof(of: name, from: closestEncloser)
            if let wildcard = try? encloser.wildcard(), let cover = chain.covering(wildcard) {
                addNSEC3(cover)
            }
        }
    }

    /// A wildcard answer with DO carries the proof that the query name itself does not exist
    /// (RFC 4035 §3.1.3.3; RFC 5155 §7.2.6: the NSEC3 covering the next closer name).
    mutating func addWildcardAnswerProof(owner: Name, wildcard: WildcardMatch?) {
        guard dnssecOK, let wildcard else { return }
        if !zone.nsecOwners.isEmpty {
            addNSEC(atOrBefore: owner)
        } else if let chain = zone.nsec3,
            let nextCloser = owner.ancestor(labelCount: wildcard.closestEncloser.labelCount + 1),
            let cover = chain.covering(nextCloser)
        {
            addNSEC3(cover)
        }
    }

    mutating func addNSEC(atOrBefore name: Name) {
        guard let owner = zone.nsecOwner(atOrBefore: name), let node = zone.node(owner),
            let records = node.rrsets[.nsec]
        else { return }
        sections.add(records, signatures: node.signatures[.nsec] ?? [], to: .authority)
    }

    mutating func addNSEC3(_ owner: Name) {
        guard let node = zone.node(owner), let records = node.rrsets[.nsec3] else { return }
        sections.add(records, signatures: node.signatures[.nsec3] ?? [], to: .authority)
    }

    /// The closest (provable) encloser proof of RFC 5155 §7.2.1: walking up from
    /// `candidate`, the first ancestor of `name` with a matching NSEC3, and the NSEC3 covering
    /// the next closer name. Returns the encloser used.
    mutating func addNSEC3ClosestEncloserProof(of name: Name, from candidate: Name) -> Name {
        guard let chain = zone.nsec3 else { return candidate }
        var encloser = candidate
        while true {
            if let match = chain.matching(encloser) {
                addNSEC3(match)
                break
            }
            guard encloser != zone.origin, let parent = encloser.parent else { break }
            encloser = parent
        }
        if let nextCloser = name.ancestor(labelCount: encloser.labelCount + 1), let cover = chain.covering(nextCloser) {
            addNSEC3(cover)
        }
        return encloser
    }
}
