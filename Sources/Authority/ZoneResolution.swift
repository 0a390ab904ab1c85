import DNSWire

/// One question answered from one zone (RFC 1034 §4.3.2 steps 3a-3c): find the zone cut or
/// the closest encloser with one hash lookup per label, then answer from the exact name, a
/// wildcard (RFC 4592 §3.3.1), a referral, or deny existence.
struct ZoneResolution {
    let zone: Zone
    let dnssecOK: Bool
    let maxCNAMEChain: Int
    var sections = ResponseSections()
    var rcode = RCode.noError
    var authoritative = true

    /// A wildcard that synthesised an answer: its owner and the closest encloser it hangs from.
    struct WildcardMatch {
        var wildcard: Name
        var closestEncloser: Name
    }

    init(zone: Zone, dnssecOK: Bool, maxCNAMEChain: Int) {
        self.zone = zone
        self.dnssecOK = dnssecOK
        self.maxCNAMEChain = maxCNAMEChain
    }

    /// Answers `name` `type`, following CNAMEs inside the zone (RFC 1034 §4.3.2 step 3a; a
    /// chain that leaves the zone ends there, and the resolver follows it).
    mutating func resolve(name: Name, type: RRType) {
        var current = name
        var visited: Set<Name> = []
        for step in 0...maxCNAMEChain {
            guard visited.insert(current).inserted else { return }  // a CNAME loop
            guard let target = resolveOnce(name: current, type: type, isFirst: step == 0) else { return }
            guard target.isSubdomain(of: zone.origin) else { return }
            current = target
        }
    }

    /// One step; returns the CNAME target to follow, if any.
    mutating func resolveOnce(name: Name, type: RRType, isFirst: Bool) -> Name? {
        var closest = zone.origin
        if name != zone.origin, let apex = zone.node(zone.origin), apex.has(.dname) {
            return substitute(name: name, dnameOwner: zone.origin, node: apex)
        }
        let depth = name.labelCount
        var labels = zone.origin.labelCount + 1
        while labels <= depth {
            guard let candidate = name.ancestor(labelCount: labels), let node = zone.node(candidate) else { break }
            closest = candidate
            // A DS question at a cut is answered from this (the parent) side (RFC 4035 §3.1.4.1).
            if zone.isDelegation(candidate, node), !(candidate == name && type == .ds) {
                referral(cut: candidate, node: node, isFirst: isFirst)
                return nil
            }
            if candidate != name, node.has(.dname) {
                return substitute(name: name, dnameOwner: candidate, node: node)
            }
            labels += 1
        }
        if closest == name, let node = zone.node(name) {
            return answer(from: node, owner: name, type: type, wildcard: nil)
        }
        if let wildcardName = try? closest.wildcard(), let node = zone.node(wildcardName) {
            return answer(
                from: node, owner: name, type: type,
                wildcard: WildcardMatch(wildcard: wildcardName, closestEncloser: closest))
        }
        nameError(name: name, closestEncloser: closest)
        return nil
    }

    // MARK: DNAME

    /// DNAME redirection (RFC 6672 §3.2): the DNAME RRset (signed), and a CNAME from the query
    /// name to the substituted name, synthesised with the DNAME's TTL (and so unsigned); the
    /// CNAME is then followed. YXDOMAIN when the new name would be too long (§2.2).
    mutating func substitute(name: Name, dnameOwner: Name, node: ZoneNode) -> Name? {
        guard let records = node.rrsets[.dname], let dname = records.first?.rdata as? DNAME else { return nil }
        sections.add(records, signatures: dnssecOK ? node.signatures[.dname] ?? [] : [], to: .answer)
        let target: Name
        do {
            guard let substituted = try name.replacingSuffix(dnameOwner, with: dname.target) else { return nil }
            target = substituted
        } catch {
            rcode = .yxDomain
            return nil
        }
        let ttl = records.first?.ttl ?? 0
        sections.add([Record(owner: name, rrClass: zone.rrClass, ttl: ttl, rdata: CNAME(target))], to: .answer)
        return target
    }

    // MARK: Answers

    mutating func answer(from node: ZoneNode, owner: Name, type: RRType, wildcard: WildcardMatch?) -> Name? {
        if type == .any, !node.rrsets.isEmpty {
            for setType in node.rrsets.keys.sorted() {
                addAnswer(node: node, type: setType, owner: owner, wildcard: wildcard)
            }
            addWildcardAnswerProof(owner: owner, wildcard: wildcard)
            return nil
        }
        if type == .rrsig, !node.signatures.isEmpty {
            for covered in node.signatures.keys.sorted() {
                sections.add(rewritten(node.signatures[covered] ?? [], owner: owner), to: .answer)
            }
            return nil
        }
        if node.rrsets[type] != nil {
            addAnswer(node: node, type: type, owner: owner, wildcard: wildcard)
            addWildcardAnswerProof(owner: owner, wildcard: wildcard)
            addAdditionalData(for: node.rrsets[type] ?? [])
            return nil
        }
        if type != .cname, let cname = node.rrsets[.cname], let target = (cname.first?.rdata as? CNAME)?.target {
            addAnswer(node: node, type: .cname, owner: owner, wildcard: wildcard)
            addWildcardAnswerProof(owner: owner, wildcard: wildcard)
            return target
        }
        noData(owner: owner, wildcard: wildcard)
        return nil
    }

    mutating func addAnswer(node: ZoneNode, type: RRType, owner: Name, wildcard: WildcardMatch?) {
        guard let records = node.rrsets[type] else { return }
        let signatures = dnssecOK ? node.signatures[type] ?? [] : []
        if wildcard == nil {
            sections.add(records, signatures: signatures, to: .answer)
        } else {
            // RFC 4592 §3.3.1: the synthesised RRset has the query name as owner; its RRSIGs
            // keep their Labels field, which tells validators it was synthesised.
            sections.add(rewritten(records, owner: owner), signatures: rewritten(signatures, owner: owner), to: .answer)
        }
    }

    func rewritten(_ records: [Record], owner: Name) -> [Record] {
        records.map { record in
            var copy = record
            copy.owner = owner
            return copy
        }
    }

    /// Address records of the names an NS, MX or SRV answer points at, when they are in
    /// this zone (RFC 1035 §3.3.9, §3.3.11; RFC 2782), with their RRSIGs for DO.
    mutating func addAdditionalData(for records: [Record]) {
        for record in records {
            let target: Name
            switch record.rdata {
            case let ns as NS: target = ns.target
            case let mx as MX: target = mx.exchange
            case let srv as SRV: target = srv.target
            default: continue
            }
            addAddresses(of: target)
        }
    }

    mutating func addAddresses(of target: Name) {
        guard target.isSubdomain(of: zone.origin), let node = zone.node(target) else { return }
        for type in [RRType.a, .aaaa] where !sections.contains(owner: target, type: type) {
            guard let records = node.rrsets[type] else { continue }
            sections.add(records, signatures: dnssecOK ? node.signatures[type] ?? [] : [], to: .additional)
        }
    }

    // MARK: Referrals

    /// A referral to the child zone at `cut` (RFC 1034 §4.3.2 step 3b): NS in authority, not
    /// authoritative, glue in additional; with DO the signed DS set, or the NSEC/NSEC3 proof
    /// that there is none (RFC 4035 §3.1.4).
    mutating func referral(cut: Name, node: ZoneNode, isFirst: Bool) {
        if isFirst { authoritative = false }
        let nameServers = node.rrsets[.ns] ?? []
        sections.add(nameServers, to: .authority)
        if dnssecOK {
            if let ds = node.rrsets[.ds] {
                sections.add(ds, signatures: node.signatures[.ds] ?? [], to: .authority)
            } else if !zone.nsecOwners.isEmpty {
                addNSEC(atOrBefore: cut)
            } else if let chain = zone.nsec3 {
                if let match = chain.matching(cut) {
                    addNSEC3(match)
                } else {
                    _ = addNSEC3ClosestEncloserProof(of: cut, from: cut.parent ?? zone.origin)  // opt-out
                }
            }
        }
        for record in nameServers {
            if let ns = record.rdata as? NS { addAddresses(of: ns.target) }
        }
    }
}
