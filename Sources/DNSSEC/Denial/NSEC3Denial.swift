import DNSWire

/// Proofs with NSEC3 records (RFC 5155 §8), with the iteration limit of RFC 9276 §3.2.
///
/// Built once per response over the validated NSEC3 records of one zone; hashes are computed
/// once per name and parameter set.
public struct NSEC3Denial {
    public let zone: Name
    public let records: [NSEC3Record]
    /// Records above this many iterations make the answer insecure (RFC 9276 §3.2).
    public let iterationLimit: UInt16
    private var cache: [HashKey: [UInt8]] = [:]
    /// The lookup's budget of hash computations, when the validator gives one.
    var budget: ResponseBudget?

    private struct HashKey: Hashable {
        var name: Name
        var salt: [UInt8]
        var iterations: UInt16
    }

    /// Keeps the records of `zone` that a validator may use (RFC 5155 §8.2): hash algorithm 1,
    /// no flags other than Opt-Out, and the salt and iterations of one chain (one chain per
    /// zone, RFC 5155 §7.1), so a response full of different salts cannot multiply the hashing
    /// work. The chain is the first one within the iteration limit: a stray over-limit record
    /// beside an honest proof takes no part in it and cannot make the answer insecure (issue 9,
    /// hole 5); only a response whose every NSEC3 record is over the limit is insecure.
    public init(zone: Name, records: [NSEC3Record], iterationLimit: UInt16 = 150) {
        self.zone = zone
        let usable = records.filter { $0.zone == zone && $0.nsec3.hashAlgorithm == 1 && $0.nsec3.flags & 0xFE == 0 }
        if let first = usable.first(where: { $0.nsec3.iterations <= iterationLimit }) ?? usable.first {
            self.records = usable.filter { $0.nsec3.salt == first.nsec3.salt && $0.nsec3.iterations == first.nsec3.iterations }
        } else {
            self.records = []
        }
        self.iterationLimit = iterationLimit
    }

    /// The highest iteration count over the limit, if any record has one.
    var excessiveIterations: UInt16? {
        let worst = records.map(\.nsec3.iterations).max() ?? 0
        return worst > iterationLimit ? worst : nil
    }

    private mutating func hash(_ name: Name, for record: NSEC3Record) -> [UInt8]? {
        let key = HashKey(name: name, salt: record.nsec3.salt, iterations: record.nsec3.iterations)
        if let known = cache[key] { return known }
        if let budget, !budget.spendNSEC3Hash() { return nil }
        let value = NSEC3Hash.hash(name, salt: record.nsec3.salt, iterations: record.nsec3.iterations)
        if let value { cache[key] = value }
        return value
    }

    /// The record whose owner hash is the hash of `name`.
    mutating func matching(_ name: Name) -> NSEC3Record? {
        for record in records {
            if let hashed = hash(name, for: record), hashed == record.ownerHash { return record }
        }
        return nil
    }

    /// The record whose span (owner hash, next hash) contains the hash of `name`; the last
    /// record of the chain wraps around.
    mutating func covering(_ name: Name) -> NSEC3Record? {
        for record in records {
            guard let hashed = hash(name, for: record) else { continue }
            let owner = record.ownerHash
            let next = record.nsec3.nextHashedOwner
            let afterOwner = owner.lexicographicallyPrecedes(hashed)
            let beforeNext = hashed.lexicographicallyPrecedes(next)
            let wraps = !owner.lexicographicallyPrecedes(next)  // next ≤ owner: the last span
            if wraps ? (afterOwner || beforeNext) : (afterOwner && beforeNext) { return record }
        }
        return nil
    }

    /// The closest encloser proof (RFC 5155 §8.3).
    struct ClosestEncloser {
        var encloser: Name
        var nextCloser: Name
        /// The record covering the next closer name; its Opt-Out flag matters.
        var nextCloserRecord: NSEC3Record
    }

    /// Finds the closest encloser of `name`: the deepest ancestor with a matching NSEC3, whose
    /// next closer name is covered. A matching NSEC3 that is a delegation (NS without SOA) or a
    /// DNAME cannot be a closest encloser (RFC 5155 §8.3).
    mutating func closestEncloser(of name: Name) -> Result<ClosestEncloser, DenialFailure> {
        guard name.isSubdomain(of: zone) else { return .failure(.init("\(name.presentation) is not in \(zone.presentation)")) }
        var candidate = name
        while true {
            if let match = matching(candidate) {
                if candidate == name {
                    return .failure(.init("an NSEC3 matches \(name.presentation): it exists"))
                }
                let types = match.nsec3.types
                if types.contains(.dname) || (types.contains(.ns) && !types.contains(.soa)) {
                    return .failure(.init("the closest encloser \(candidate.presentation) is a delegation or DNAME"))
                }
                guard let nextCloser = name.ancestor(labelCount: candidate.labelCount + 1) else {
                    return .failure(.init("no next closer name"))
                }
                guard let cover = covering(nextCloser) else {
                    return .failure(.init("no NSEC3 covers the next closer name \(nextCloser.presentation)"))
                }
                return .success(ClosestEncloser(encloser: candidate, nextCloser: nextCloser, nextCloserRecord: cover))
            }
            guard candidate != zone, let parent = candidate.parent else { break }
            candidate = parent
        }
        return .failure(.init("no NSEC3 matches an ancestor of \(name.presentation)"))
    }

    struct DenialFailure: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }

    /// NXDOMAIN (RFC 5155 §8.4): closest encloser proof and the wildcard at the closest
    /// encloser covered. If the next closer name is covered by an Opt-Out span the name may be
    /// an unsigned delegation: insecure.
    public mutating func nameError(_ qname: Name) -> DenialProof {
        if let worst = excessiveIterations { return .iterationsTooHigh(worst) }
        switch closestEncloser(of: qname) {
        case .failure(let failure):
            return .notProven(failure.text)
        case .success(let proof):
            guard let wildcard = try? proof.encloser.wildcard(), covering(wildcard) != nil else {
                return .notProven("no NSEC3 covers the wildcard at \(proof.encloser.presentation)")
            }
            return proof.nextCloserRecord.nsec3.isOptOut ? .optOut : .proven
        }
    }

    /// NODATA (RFC 5155 §8.5-§8.7): a matching NSEC3 without the type and CNAME; or a wildcard
    /// NODATA: closest encloser proof and a matching NSEC3 at its wildcard without the type; or
    /// (for DS, §8.6, and for data below an unsigned delegation) a closest encloser proof whose
    /// next closer name is in an Opt-Out span, which is insecure.
    public mutating func noData(_ qname: Name, type qtype: RRType) -> DenialProof {
        if let worst = excessiveIterations { return .iterationsTooHigh(worst) }
        if let match = matching(qname) {
            return NSECDenial.typeAbsent(qtype, at: qname, bitmap: match.nsec3.types, zone: zone)
        }
        switch closestEncloser(of: qname) {
        case .failure(let failure):
            return .notProven(failure.text)
        case .success(let proof):
            let optOut = proof.nextCloserRecord.nsec3.isOptOut
            if let wildcard = try? proof.encloser.wildcard(), let match = matching(wildcard) {
                let absent = NSECDenial.typeAbsent(qtype, at: wildcard, bitmap: match.nsec3.types, zone: zone)
                guard absent == .proven else { return absent }
                return optOut ? .optOut : .proven
            }
            // No match and no wildcard: only an Opt-Out span covering the next closer name can
            // explain it (an unsigned delegation below, RFC 5155 §8.6 and §9.2): insecure.
            return optOut
                ? .optOut : .notProven("no NSEC3 matches \(qname.presentation) or the wildcard at its closest encloser, and its span is not opt-out")
        }
    }

    /// A wildcard answer (RFC 5155 §8.8): the next closer name of the wildcard's parent
    /// `source` is covered, so `qname` itself does not exist. Opt-Out there: insecure.
    public mutating func wildcardAnswer(_ qname: Name, source: Name) -> DenialProof {
        if let worst = excessiveIterations { return .iterationsTooHigh(worst) }
        guard let nextCloser = qname.ancestor(labelCount: source.labelCount + 1), qname.isProperSubdomain(of: source) else {
            return .notProven("\(qname.presentation) is not below the wildcard's parent \(source.presentation)")
        }
        guard let cover = covering(nextCloser) else {
            return .notProven("no NSEC3 covers \(nextCloser.presentation) (wildcard answer)")
        }
        return cover.nsec3.isOptOut ? .optOut : .proven
    }

    /// The denial of a DS at `name` (RFC 5155 §8.6): a matching NSEC3 with NS and without DS is
    /// an insecure delegation, one without NS shows no zone cut; with no match, a closest
    /// encloser proof whose next closer name is in an Opt-Out span leaves the name possibly an
    /// unsigned delegation (insecure), and without Opt-Out the name does not exist.
    public mutating func dsDenial(_ name: Name) -> DSDenial {
        if let worst = excessiveIterations { return .iterationsTooHigh(worst) }
        if let match = matching(name) {
            let types = match.nsec3.types
            if types.contains(.ds) { return .notProven("the NSEC3 for \(name.presentation) lists DS") }
            if types.contains(.soa) && !name.isRoot { return .notProven("the NSEC3 for \(name.presentation) is the child's") }
            return types.contains(.ns) ? .insecureDelegation : .noZoneCut
        }
        switch closestEncloser(of: name) {
        case .failure(let failure):
            return .notProven(failure.text)
        case .success(let proof):
            if proof.nextCloserRecord.nsec3.isOptOut { return .optOut }
            return .noZoneCut
        }
    }
}
