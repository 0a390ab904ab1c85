import DNSWire

/// The walk down the chain of trust (RFC 4035 §5): from the closest trust anchor, one label at
/// a time toward the target, asking for the DS of each name. A validated DS set leads to the
/// child's DNSKEY set (a zone cut); a secure denial either shows no cut at that name (go on) or
/// an unsigned delegation (insecure: stop). Zone cuts are never assumed.
extension DNSSECValidator {
    /// The chain of trust from the closest trust anchor toward `name`, as deep as zone cuts go:
    /// secure (the deepest zone's keys are authenticated), insecure (an unsigned delegation on
    /// the way), bogus or indeterminate. For tools that show the chain.
    public func chain(to name: Name) async -> (status: SecurityStatus, chain: [ChainLink]) {
        var context = Context(now: clock(), budget: LookupBudget(configuration))
        let status = await walk(toward: name, &context).status
        return (status, context.chain)
    }

    /// The authenticated key set of `zone` (the signer of some RRSIG), or why there is none.
    func keySet(forZone zone: Name, _ context: inout Context) async -> WalkOutcome {
        let outcome = await walk(toward: zone, &context)
        if case .secure(let keys) = outcome {
            if keys.zone != zone {
                return .bogus(
                    ValidationReason(
                        .dnssecBogus, "signer \(zone.presentation) is not a zone cut below \(keys.zone.presentation)"))
            }
            // Data validated with these keys lasts no longer than the keys (RFC 4035 §5.3.3).
            context.limitTTL(keys.ttl)
        }
        return outcome
    }

    /// Walks from the closest trust anchor toward `target`, as deep as zone cuts go.
    func walk(toward target: Name, _ context: inout Context) async -> WalkOutcome {
        // A configured insecure domain ends the chain above it, unless an anchor at or below
        // it overrides (as Unbound's domain-insecure does).
        if let domain = configuration.insecureDomain(above: target),
            anchors.closest(to: target).map({ domain.isProperSubdomain(of: $0.zone) }) ?? true
        {
            context.note(ChainLink(zone: domain, kind: .insecureDelegation))
            return .insecure(ValidationReason(.other, "\(domain.presentation) is configured insecure"))
        }
        guard let anchor = anchors.closest(to: target) else {
            return .indeterminate(
                ValidationReason(.dnssecIndeterminate, "no trust anchor above \(target.presentation)"))
        }
        // Start from the deepest cached zone between the anchor and the target.
        var current: ValidatedKeySet? = nil
        var cursor = anchor.zone
        var probe: Name? = target
        while let name = probe, name.isSubdomain(of: anchor.zone) {
            switch cache.lookup(name, now: context.now) {
            case .insecure(let reason, let link)?:
                context.note(link)
                return .insecure(reason)
            case .secure(let keys, let link)?:
                current = keys
                cursor = name
                noteCachedAncestors(of: name, below: anchor.zone, &context)
                context.note(link)
            default:
                break
            }
            if current != nil { break }
            probe = name == anchor.zone ? nil : name.parent
        }
        if current == nil {
            switch await anchorKeySet(anchor, &context) {
            case .secure(let keys): current = keys
            case let other: return other
            }
        }
        guard var keys = current else {
            return .bogus(ValidationReason(.dnssecBogus, "no key set for \(anchor.zone.presentation)"))
        }
        while cursor.labelCount < target.labelCount {
            guard let next = target.ancestor(labelCount: cursor.labelCount + 1) else { break }
            defer { cursor = next }
            switch cache.lookup(next, now: context.now) {
            case .noZoneCut?:
                continue
            case .secure(let childKeys, let link)?:
                keys = childKeys
                context.note(link)
                continue
            case .insecure(let reason, let link)?:
                context.note(link)
                return .insecure(reason)
            case nil:
                break
            }
            switch await descend(from: keys, to: next, &context) {
            case .zone(let childKeys):
                keys = childKeys
            case .noZoneCut:
                continue
            case .insecure(let reason):
                return .insecure(reason)
            case .bogus(let reason):
                return .bogus(reason)
            }
        }
        return .secure(keys)
    }

    /// Puts the cached links above a cached zone into the reported chain, top down, so a warm
    /// answer reports the same chain as a cold one.
    private func noteCachedAncestors(of name: Name, below anchorZone: Name, _ context: inout Context) {
        var links: [ChainLink] = []
        var cursor = name.parent
        while let current = cursor, current.isSubdomain(of: anchorZone) {
            if case .secure(_, let link)? = cache.lookup(current, now: context.now) { links.append(link) }
            cursor = current == anchorZone ? nil : current.parent
        }
        for link in links.reversed() { context.note(link) }
    }

    /// The key set of a trust anchor's zone: its DNSKEY RRset, authenticated by the anchor.
    func anchorKeySet(_ anchor: TrustAnchor, _ context: inout Context) async -> WalkOutcome {
        let dnskeys: SignedRRset
        switch await fetchRRset(anchor.zone, .dnskey) {
        case .failure(let reason): return .bogus(reason)
        case .success(let set): dnskeys = set
        }
        let budget = context.budget.response()
        // DS anchors first, then DNSKEY anchors; the first that authenticates the set wins, and
        // otherwise the DS verdict (if any) is the one reported.
        var verdicts: [KeySetVerdict] = []
        if !anchor.ds.isEmpty {
            verdicts.append(
                KeySetAuthenticator.authenticate(dnskeys, ds: anchor.ds, now: context.serialNow, budget: budget))
        }
        if !anchor.dnskeys.isEmpty {
            verdicts.append(
                KeySetAuthenticator.authenticate(
                    dnskeys, anchorKeys: anchor.dnskeys, now: context.serialNow, budget: budget))
        }
        let secure = verdicts.first { if case .secure = $0 { true } else { false } }
        let verdict =
            secure ?? verdicts.first
            ?? .bogus(ValidationReason(.dnskeyMissing, "the trust anchor for \(anchor.zone.presentation) is empty"))
        switch verdict {
        case .secure(let keys):
            let link = ChainLink(
                zone: anchor.zone, kind: .trustAnchor, keyTags: keys.secureEntryKeyTags, algorithms: keys.algorithms)
            cache.store(.secure(keys, link), for: anchor.zone, ttl: keys.ttl, now: context.now)
            context.note(link)
            return .secure(keys)
        case .insecure(let reason):
            let link = ChainLink(zone: anchor.zone, kind: .insecureDelegation)
            context.note(link)
            return .insecure(reason)
        case .bogus(let reason):
            return .bogus(reason)
        }
    }

    enum DescentOutcome {
        case zone(ValidatedKeySet)
        case noZoneCut
        case insecure(ValidationReason)
        case bogus(ValidationReason)
    }

    /// One step down: the DS of `child`, checked with the parent's keys, then the child's DNSKEY
    /// set; or the secure denial of that DS.
    func descend(from parent: ValidatedKeySet, to child: Name, _ context: inout Context) async -> DescentOutcome {
        let response: Message
        switch await fetcher.fetch(child, .ds) {
        case .failure(let text):
            return .bogus(ValidationReason(.networkError, "DS lookup for \(child.presentation) failed: \(text)"))
        case .response(let message):
            response = message
        }
        let (answer, authority): ([SignedRRset], [SignedRRset])
        do {
            (answer, authority) = try SignedRRset.sections(of: response)
        } catch {
            return .bogus(
                ValidationReason(.invalidData, "DS response for \(child.presentation) is malformed: \(error)"))
        }
        let now = context.serialNow
        let budget = context.budget.response()
        if let dsSet = answer.first(where: { $0.owner == child && $0.type == .ds }) {
            let dsTTL: UInt32
            switch parent.verify(dsSet, now: now, everyAlgorithm: configuration.requireEveryDSAlgorithm, budget: budget)
            {
            case .failed(let reason): return .bogus(reason)
            case .verified(let ttl, _, _): dsTTL = ttl
            }
            let records = dsSet.rrset.rdatas.compactMap { $0 as? DS }
            guard !DSMatcher.usable(records).isEmpty else {
                let reason = DSMatcher.unusableReason(records, zone: child)
                let link = ChainLink(zone: child, kind: .insecureDelegation)
                cache.store(.insecure(reason, link), for: child, ttl: dsTTL, now: context.now)
                context.note(link)
                return .insecure(reason)
            }
            let dnskeys: SignedRRset
            switch await fetchRRset(child, .dnskey) {
            case .failure(let reason): return .bogus(reason)
            case .success(let set): dnskeys = set
            }
            // The DNSKEY response is one more response of this lookup.
            switch KeySetAuthenticator.authenticate(dnskeys, ds: records, now: now, budget: context.budget.response()) {
            case .secure(let keys):
                // The child's keys last no longer than the DS that vouches for them, nor than
                // the parent's keys that vouch for the DS.
                let validated = keys.limited(to: min(dsTTL, parent.ttl))
                let link = ChainLink(
                    zone: child, kind: .delegation, keyTags: keys.secureEntryKeyTags, algorithms: keys.algorithms)
                cache.store(.secure(validated, link), for: child, ttl: validated.ttl, now: context.now)
                context.note(link)
                return .zone(validated)
            case .insecure(let reason):
                let link = ChainLink(zone: child, kind: .insecureDelegation)
                cache.store(.insecure(reason, link), for: child, ttl: dsTTL, now: context.now)
                context.note(link)
                return .insecure(reason)
            case .bogus(let reason):
                return .bogus(reason)
            }
        }
        // A CNAME at the name, signed by the parent zone: an ordinary name, no zone cut. Not a
        // wildcard expansion (RRSIG Labels below the owner's count): its owner is synthesized,
        // so it says nothing about the name without a proof that the name does not exist.
        if let cname = answer.first(where: { $0.owner == child && $0.type == .cname }) {
            if case .verified(let ttl, let signature, _) = parent.verify(
                cname, now: now, everyAlgorithm: configuration.requireEveryDSAlgorithm, budget: budget),
                Int(signature.labels) == cname.owner.rrsigLabelCount
            {
                cache.store(.noZoneCut, for: child, ttl: ttl, now: context.now)
                return .noZoneCut
            }
        }
        let evidence = DenialEvidence(
            from: authority, keys: parent, now: now, everyAlgorithm: configuration.requireEveryDSAlgorithm,
            budget: budget)
        let ttl = evidence.ttl ?? 0
        switch evidence.dsDenial(child, zone: parent.zone, iterationLimit: configuration.nsec3IterationLimit) {
        case .noZoneCut:
            cache.store(.noZoneCut, for: child, ttl: ttl, now: context.now)
            return .noZoneCut
        case .insecureDelegation:
            return insecure(
                child, ValidationReason(.other, "\(child.presentation) is a delegation without DS"), ttl: ttl, &context)
        case .optOut:
            return insecure(
                child,
                ValidationReason(.other, "\(child.presentation) is in an NSEC3 opt-out span: unsigned delegation"),
                ttl: ttl, &context)
        case .iterationsTooHigh(let count):
            return insecure(
                child,
                ValidationReason(
                    .unsupportedNSEC3IterationsValue,
                    "NSEC3 with \(count) iterations denies the DS of \(child.presentation)"),
                ttl: ttl, &context)
        case .notProven(let text):
            return .bogus(evidence.failure ?? ValidationReason(.nsecMissing, text))
        }
    }

    private func insecure(_ child: Name, _ reason: ValidationReason, ttl: UInt32, _ context: inout Context)
        -> DescentOutcome
    {
        let link = ChainLink(zone: child, kind: .insecureDelegation)
        cache.store(.insecure(reason, link), for: child, ttl: ttl, now: context.now)
        context.note(link)
        return .insecure(reason)
    }

    /// Fetches `name`/`type` and returns that RRset with its RRSIGs from the answer section.
    func fetchRRset(_ name: Name, _ type: RRType) async -> Result<SignedRRset, ValidationReason> {
        switch await fetcher.fetch(name, type) {
        case .failure(let text):
            return .failure(ValidationReason(.networkError, "\(type) lookup for \(name.presentation) failed: \(text)"))
        case .response(let message):
            guard let sets = try? SignedRRset.group(message.answers),
                let set = sets.first(where: { $0.owner == name && $0.type == type })
            else {
                let code: ExtendedDNSError.InfoCode = type == .dnskey ? .dnskeyMissing : .dnssecBogus
                return .failure(ValidationReason(code, "no \(type) RRset for \(name.presentation) in the response"))
            }
            return .success(set)
        }
    }
}
