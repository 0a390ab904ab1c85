import DNSWire

/// The NSEC and NSEC3 records of one zone in a response, after their signatures have been
/// verified with the zone's keys: the input of every denial proof.
struct DenialEvidence {
    var nsec: [NSECRecord] = []
    var nsec3: [NSEC3Record] = []
    /// The lowest validated TTL among the records used.
    var ttl: UInt32?
    /// The first RRset that failed verification, if any.
    var failure: ValidationReason?
    /// The budget NSEC3 hashing spends from.
    let budget: ResponseBudget

    /// Verifies the NSEC, NSEC3 and SOA RRsets of `sets` owned in `keys.zone` and keeps the
    /// NSEC/NSEC3 ones. Records whose RRSIG shows a wildcard expansion are left out: their owner
    /// is synthesized, so they prove nothing about it (CVE-2017-15105).
    init(from sets: [SignedRRset], keys validated: ValidatedKeySet, now: UInt32, everyAlgorithm: Bool, budget: ResponseBudget) {
        self.budget = budget
        let keys = validated.keys
        for set in sets where [RRType.nsec, .nsec3, .soa].contains(set.type) && set.owner.isSubdomain(of: keys.zone) {
            guard set.signatures.contains(where: { $0.signerName == keys.zone }) else { continue }
            switch validated.verify(set, now: now, everyAlgorithm: everyAlgorithm, budget: budget) {
            case .failed(let reason):
                failure = failure ?? reason
            case .verified(let setTTL, let signature, _):
                ttl = min(ttl ?? setTTL, setTTL)
                guard Int(signature.labels) == set.owner.rrsigLabelCount else { continue }
                for rdata in set.rrset.rdatas {
                    if let record = rdata as? NSEC {
                        nsec.append(NSECRecord(owner: set.owner, nsec: record))
                    } else if let record = rdata as? NSEC3, let parsed = NSEC3Record(owner: set.owner, nsec3: record) {
                        nsec3.append(parsed)
                    }
                }
            }
        }
    }

    var isEmpty: Bool { nsec.isEmpty && nsec3.isEmpty }

    func nameError(_ name: Name, zone: Name, iterationLimit: UInt16) -> DenialProof {
        if !nsec.isEmpty, NSECDenial.nameError(name, records: nsec, zone: zone) == .proven { return .proven }
        guard !nsec3.isEmpty else {
            return nsec.isEmpty ? .notProven("no signed NSEC or NSEC3 record") : NSECDenial.nameError(name, records: nsec, zone: zone)
        }
        return nsec3Proof(zone: zone, iterationLimit: iterationLimit, decides: Self.decides) { $0.nameError(name) }
    }

    func noData(_ name: Name, type: RRType, zone: Name, iterationLimit: UInt16) -> DenialProof {
        if !nsec.isEmpty, NSECDenial.noData(name, type: type, records: nsec, zone: zone) == .proven { return .proven }
        guard !nsec3.isEmpty else {
            return nsec.isEmpty
                ? .notProven("no signed NSEC or NSEC3 record") : NSECDenial.noData(name, type: type, records: nsec, zone: zone)
        }
        return nsec3Proof(zone: zone, iterationLimit: iterationLimit, decides: Self.decides) { $0.noData(name, type: type) }
    }

    func wildcardAnswer(_ name: Name, source: Name, zone: Name, iterationLimit: UInt16) -> DenialProof {
        if !nsec.isEmpty, NSECDenial.wildcardAnswer(name, source: source, records: nsec, zone: zone) == .proven {
            return .proven
        }
        guard !nsec3.isEmpty else {
            return .notProven("no signed NSEC or NSEC3 record proves that \(name.presentation) does not exist")
        }
        return nsec3Proof(zone: zone, iterationLimit: iterationLimit, decides: Self.decides) { $0.wildcardAnswer(name, source: source) }
    }

    func dsDenial(_ name: Name, zone: Name, iterationLimit: UInt16) -> DSDenial {
        if !nsec.isEmpty {
            let result = NSECDenial.dsDenial(name, records: nsec, zone: zone)
            // A zone in transition may carry both; fall back to NSEC3 only when NSEC fails.
            let failed: Bool
            if case .notProven = result { failed = true } else { failed = false }
            if !failed || nsec3.isEmpty { return result }
        }
        guard !nsec3.isEmpty else { return .notProven("no signed NSEC or NSEC3 record denies the DS of \(name.presentation)") }
        return nsec3Proof(zone: zone, iterationLimit: iterationLimit, decides: Self.decides) { $0.dsDenial(name) }
    }

    /// Runs `prove` over each NSEC3 chain of the response (one salt and iteration count each,
    /// RFC 5155 §7.1), those within the iteration limit first, and returns the first result
    /// that `decides`; otherwise the first chain's. So only records that take part in a proof
    /// decide the outcome: a stray record of another chain, first or over the limit, can
    /// neither break an honest proof nor make it insecure (issue 9, hole 5). Every chain
    /// spends from the same hash budget.
    private func nsec3Proof<Outcome>(
        zone: Name, iterationLimit: UInt16, decides: (Outcome) -> Bool, _ prove: (inout NSEC3Denial) -> Outcome
    ) -> Outcome {
        var chains: [[NSEC3Record]] = []
        for record in nsec3 {
            if let index = chains.firstIndex(where: { $0[0].nsec3.salt == record.nsec3.salt && $0[0].nsec3.iterations == record.nsec3.iterations }) {
                chains[index].append(record)
            } else {
                chains.append([record])
            }
        }
        chains = chains.filter { $0[0].nsec3.iterations <= iterationLimit } + chains.filter { $0[0].nsec3.iterations > iterationLimit }
        var first: Outcome? = nil
        for chain in chains {
            var proof = NSEC3Denial(zone: zone, records: chain, iterationLimit: iterationLimit)
            proof.budget = budget
            let outcome = prove(&proof)
            if decides(outcome) { return outcome }
            if first == nil { first = outcome }
        }
        if let first { return first }
        var empty = NSEC3Denial(zone: zone, records: [], iterationLimit: iterationLimit)
        return prove(&empty)
    }

    /// A proof holds (securely or through opt-out).
    private static func decides(_ proof: DenialProof) -> Bool {
        switch proof {
        case .proven, .optOut: true
        case .iterationsTooHigh, .notProven: false
        }
    }

    /// A DS denial says something.
    private static func decides(_ denial: DSDenial) -> Bool {
        switch denial {
        case .insecureDelegation, .optOut, .noZoneCut: true
        case .iterationsTooHigh, .notProven: false
        }
    }
}

extension DenialEvidence {
    /// The zone cut at or above `name`, below `zone`, that these records show to be a
    /// delegation without DS (NS bit set, DS bit clear; RFC 4035 §5.2, RFC 5155 §8.6): with the
    /// NSEC records, else with the NSEC3 ones (one hash cache for the whole walk, so each name
    /// is hashed once).
    func unsignedDelegation(above name: Name, zone: Name, iterationLimit: UInt16) -> Name? {
        if let cut = Self.firstUnsignedCut(above: name, below: zone, { NSECDenial.dsDenial($0, records: nsec, zone: zone) }) {
            return cut
        }
        var proof = NSEC3Denial(zone: zone, records: nsec3, iterationLimit: iterationLimit)
        proof.budget = budget
        return Self.firstUnsignedCut(above: name, below: zone) { proof.dsDenial($0) }
    }

    /// Walks from `zone` down toward `name`, one label at a time: the first name `denial` shows
    /// to be a delegation without DS. A name not proven to be no zone cut ends the walk, so
    /// nothing is assumed.
    private static func firstUnsignedCut(above name: Name, below zone: Name, _ denial: (Name) -> DSDenial) -> Name? {
        var cursor = zone
        while cursor.labelCount < name.labelCount, let next = name.ancestor(labelCount: cursor.labelCount + 1) {
            switch denial(next) {
            case .insecureDelegation: return next
            case .noZoneCut: cursor = next
            case .optOut, .iterationsTooHigh, .notProven: return nil
            }
        }
        return nil
    }
}
