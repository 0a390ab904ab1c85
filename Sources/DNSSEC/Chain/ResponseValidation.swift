import DNSWire

/// Validation of a whole response (RFC 4035 §5): the answer's RRsets link by link along
/// CNAME and DNAME records, wildcard expansions with their proof that the query name does not
/// exist, NXDOMAIN and NODATA proofs, and referrals. The verdict is the weakest link's.
extension DNSSECValidator {
    /// Looks `name`/`type` up through the fetcher and validates the response.
    public func lookup(_ name: Name, _ type: RRType) async -> (response: Message?, result: ValidationResult) {
        switch await fetcher.fetch(name, type) {
        case .failure(let text):
            return (
                nil, ValidationResult(status: .indeterminate(ValidationReason(.networkError, "lookup failed: \(text)")))
            )
        case .response(let message):
            return (message, await validate(message, for: Question(name: name, type: type)))
        }
    }

    /// The verdict on `response`, the answer to `question` from a recursive resolver. A
    /// referral is no answer to a data question, so it is bogus here (DESIGN.md rule 12).
    public func validate(_ response: Message, for question: Question) async -> ValidationResult {
        await validate(response, for: question, acceptingReferral: false)
    }

    /// The verdict on `response` from an authoritative server, which may be a referral (RFC
    /// 4035 §5.2): a signed DS makes it secure, a proven absent DS insecure. For an iterator
    /// that follows referrals itself, and for the worked examples of RFC 4035 Appendix B.
    public func validateReferral(_ response: Message, for question: Question) async -> ValidationResult {
        await validate(response, for: question, acceptingReferral: true)
    }

    private func validate(_ response: Message, for question: Question, acceptingReferral: Bool) async
        -> ValidationResult
    {
        var context = Context(now: clock(), budget: LookupBudget(configuration))
        var names = [question.name]
        var status = await validate(response, question, acceptingReferral: acceptingReferral, &context, names: &names)
        // Past the budget nothing is known either way (issue 9, hole 4).
        if let exhausted = context.budget.exhausted { status = .bogus(exhausted) }
        var result = ValidationResult(status: status, chain: context.chain, names: names, ttl: context.ttl)
        result.correctedRcode = context.correctedRcode
        result.rcode = context.correctedRcode ?? response.rcode
        // Bogus data is no data (RFC 4035 §4.3): nothing of a bogus response is handed out.
        result.rrsets = status.isBogus ? [] : context.rrsets
        return result
    }

    private func validate(
        _ response: Message, _ question: Question, acceptingReferral: Bool, _ context: inout Context,
        names: inout [Name]
    ) async -> SecurityStatus {
        guard response.rcode == .noError || response.rcode == .nxDomain else {
            return .indeterminate(
                ValidationReason(.other, "response code \(response.rcode) carries nothing to validate"))
        }
        let (answer, authority): ([SignedRRset], [SignedRRset])
        do {
            (answer, authority) = try SignedRRset.sections(of: response)
        } catch {
            return .bogus(ValidationReason(.invalidData, "malformed records: \(error)"))
        }

        let budget = context.budget.response()
        var status = SecurityStatus.secure
        var sname = question.name
        var links = 0
        let walk = AnswerWalk(sets: answer)
        chain: while true {
            // The next link: the RRset to validate, the name it leads to and, for a DNAME, the
            // name whose CNAME it synthesizes.
            let link: (set: SignedRRset, target: Name, synthesizedAt: Name?)
            switch walk.step(at: sname, type: question.type) {
            case .malformed(let reason):
                return status.combined(with: .bogus(reason))
            case .data(let wanted):
                for set in wanted {
                    let setStatus = await validateRRset(set, authority: authority, budget: budget, &context)
                    context.rrsets.append(ValidatedRRset(set, status: setStatus))
                    status = status.combined(with: setStatus)
                }
                // The response code speaks for the last name of the chain (RFC 6604 §2): data
                // there under NXDOMAIN is a contradiction, not an answer.
                if response.rcode == .nxDomain {
                    return status.combined(
                        with: .bogus(
                            ValidationReason(
                                .dnssecBogus, "NXDOMAIN with \(question.type) data at \(sname.presentation)")))
                }
                return status
            case .end:
                break chain
            case .cname(let cname, let target):
                link = (cname, target, nil)
            case .dname(let dname, let target):
                link = (dname, target, sname)
            }
            // A broken link cannot be mended by later ones: stop fetching.
            if status.isBogus { return status }
            links += 1
            guard links <= configuration.maxChainLinks else {
                return status.combined(
                    with: .bogus(
                        ValidationReason(.dnssecBogus, "more than \(configuration.maxChainLinks) CNAME/DNAME links")))
            }
            let linkStatus = await validateRRset(link.set, authority: authority, budget: budget, &context)
            context.rrsets.append(ValidatedRRset(link.set, status: linkStatus))
            if let owner = link.synthesizedAt {
                // A validated DNAME makes the CNAME it synthesizes trustworthy even unsigned
                // (RFC 6672 §5.3.1); its target is the one the DNAME gives, not the response's.
                context.rrsets.append(.synthesized(from: link.set, at: owner, target: link.target, status: linkStatus))
            }
            status = status.combined(with: linkStatus)
            sname = link.target
            if names.contains(sname) {
                return status.combined(
                    with: .bogus(ValidationReason(.dnssecBogus, "CNAME/DNAME loop at \(sname.presentation)")))
            }
            names.append(sname)
        }
        // No data for sname: a NXDOMAIN or NODATA to be proven, or a referral.
        let isReferral =
            response.rcode == .noError
            && authority.contains(where: { $0.type == .ns }) && !authority.contains(where: { $0.type == .soa })
        if isReferral, let delegation = authority.first(where: { $0.type == .ns && sname.isSubdomain(of: $0.owner) }) {
            // A recursive resolver answers a data question with data or its denial; a referral
            // in its place would turn a present record into "securely absent" (issue 9, hole 2).
            guard acceptingReferral else {
                return status.combined(
                    with: .bogus(
                        ValidationReason(
                            .dnssecBogus,
                            "a referral to \(delegation.owner.presentation) is no answer to \(sname.presentation) \(question.type)"
                        )))
            }
            return status.combined(
                with: await validateReferral(to: delegation.owner, authority: authority, budget: budget, &context))
        }
        let isNameError = response.rcode == .nxDomain
        return status.combined(
            with: await validateDenial(
                sname, type: question.type, nameError: isNameError, authority: authority, budget: budget,
                chainTarget: sname != question.name, &context))
    }

    /// One RRset of the answer: its signature with the signer's key set, and for a wildcard
    /// expansion the proof that the owner itself does not exist (RFC 4035 §5.3.4).
    func validateRRset(
        _ set: SignedRRset, authority: [SignedRRset], budget: ResponseBudget, _ context: inout Context
    ) async -> SecurityStatus {
        // The zone the RRset belongs to is the signer of a signature that verifies, not of any
        // RRSIG present: a junk RRSIG naming a deeper signer must not steer the walk (issue 9,
        // hole 5). Signers are tried deepest first.
        let signers = set.signerNames.filter { set.owner.isSubdomain(of: $0) }.sorted { $0.labelCount > $1.labelCount }
        guard !signers.isEmpty else {
            // Unsigned data is acceptable only below a proven insecure delegation.
            return await unsignedStatus(
                of: set.owner,
                missing: ValidationReason(
                    .rrsigsMissing, "\(set.owner.presentation) \(set.type) has no RRSIG from a zone above it"), &context
            )
        }
        var failure: SecurityStatus? = nil
        var failedUnderSecureKeys: ValidationReason? = nil
        for signer in signers {
            // A signer above the closest trust anchor of the owner cannot vouch for it.
            if let verdict = await closerAnchorVerdict(set.owner, set.type, signer: signer, &context) {
                failure = failure ?? verdict
                continue
            }
            let outcome = await keySet(forZone: signer, &context)
            guard case .secure(let keys) = outcome else {
                failure = failure ?? outcome.status
                continue
            }
            switch keys.verify(
                set, now: context.serialNow, everyAlgorithm: configuration.requireEveryDSAlgorithm, budget: budget)
            {
            case .failed(let reason):
                failedUnderSecureKeys = failedUnderSecureKeys ?? reason
            case .verified(let ttl, let signature, _):
                context.limitTTL(ttl)
                guard Int(signature.labels) < set.owner.rrsigLabelCount,
                    let source = set.owner.ancestor(labelCount: Int(signature.labels))
                else { return .secure }
                let evidence = DenialEvidence(
                    from: authority, keys: keys, now: context.serialNow,
                    everyAlgorithm: configuration.requireEveryDSAlgorithm, budget: budget)
                if let evidenceTTL = evidence.ttl { context.limitTTL(evidenceTTL) }
                let proof = evidence.wildcardAnswer(
                    set.owner, source: source, zone: keys.zone, iterationLimit: configuration.nsec3IterationLimit)
                return proof.status
            }
        }
        // A signature that fails under authenticated keys is bogus, whatever another signer's
        // walk said.
        if let failedUnderSecureKeys { return .bogus(failedUnderSecureKeys) }
        return failure
            ?? .bogus(
                ValidationReason(.dnssecBogus, "no signature over \(set.owner.presentation) \(set.type) verifies"))
    }

    /// The status of data without signatures: insecure when a delegation above it is proven
    /// unsigned, otherwise bogus with `missing` as the reason.
    func unsignedStatus(of name: Name, missing: ValidationReason, _ context: inout Context) async -> SecurityStatus {
        let outcome = await walk(toward: name, &context)
        if case .secure = outcome { return .bogus(missing) }
        return outcome.status
    }

    /// NXDOMAIN or NODATA for `name`: the signed NSEC/NSEC3 records of the authority section
    /// must prove it (RFC 4035 §5.4, RFC 5155 §8). For a CNAME or DNAME target
    /// (`chainTarget`), the parent's proof of an unsigned delegation above it will do instead.
    func validateDenial(
        _ name: Name, type: RRType, nameError: Bool, authority: [SignedRRset], budget: ResponseBudget,
        chainTarget: Bool = false,
        _ context: inout Context
    ) async -> SecurityStatus {
        let signed = authority.filter { [RRType.nsec, .nsec3, .soa].contains($0.type) && !$0.signatures.isEmpty }
        let what = nameError ? "NXDOMAIN" : "NODATA"
        // The zone that owns the name speaks for it: the deepest signer above it, and for a DS
        // the parent, never the child's own apex (RFC 4035 §5.2).
        let owners = signed.flatMap(\.signerNames).filter {
            type == .ds ? name.isProperSubdomain(of: $0) : name.isSubdomain(of: $0)
        }
        guard let signer = owners.max(by: { $0.labelCount < $1.labelCount }) else {
            return await unsignedStatus(
                of: name,
                missing: ValidationReason(
                    .nsecMissing, "\(what) for \(name.presentation) \(type) without signed NSEC or NSEC3 records"),
                &context)
        }
        if let verdict = await closerAnchorVerdict(name, type, signer: signer, &context) { return verdict }
        let outcome = await keySet(forZone: signer, &context)
        guard case .secure(let keys) = outcome else { return outcome.status }
        let evidence = DenialEvidence(
            from: authority, keys: keys, now: context.serialNow, everyAlgorithm: configuration.requireEveryDSAlgorithm,
            budget: budget)
        if let failure = evidence.failure { return .bogus(failure) }
        if let ttl = evidence.ttl { context.limitTTL(ttl) }
        // RFC 2308 §5: a negative answer lives no longer than the SOA MINIMUM field.
        if let soa = authority.first(where: { $0.type == .soa && $0.owner == keys.zone })?.rrset.rdatas.first as? SOA {
            context.limitTTL(soa.minimum)
        }
        let limit = configuration.nsec3IterationLimit
        var proof =
            nameError
            ? evidence.nameError(name, zone: keys.zone, iterationLimit: limit)
            : evidence.noData(name, type: type, zone: keys.zone, iterationLimit: limit)
        // Some servers answer NXDOMAIN for an empty non-terminal; when the NSEC shows the name
        // exists without data, the answer is a proven NODATA (as Unbound treats it).
        if nameError, case .notProven = proof,
            NSECDenial.emptyNonTerminal(name, records: evidence.nsec, zone: keys.zone)
        {
            context.correctedRcode = .noError
            proof = .proven
        }
        if case .notProven(let text) = proof {
            // The data of a CNAME target below a delegation without DS is insecure (RFC 4035
            // §4.3): the parent's verified NSEC or NSEC3 at the cut is the proof.
            if chainTarget, !nameError,
                let cut = evidence.unsignedDelegation(above: name, zone: keys.zone, iterationLimit: limit)
            {
                return .insecure(ValidationReason(.other, "\(cut.presentation) is a delegation without DS"))
            }
            return .bogus(
                ValidationReason(.nsecMissing, "\(what) for \(name.presentation) \(type) not proven: \(text)"))
        }
        return proof.status
    }

    /// Data at `name` is judged from the closest trust anchor above it (RFC 4035 §5), as
    /// Unbound does for a CNAME toward a closer anchor: a zone above that anchor, `signer`,
    /// cannot vouch for it, not even by an NSEC3 opt-out span. A DS belongs to the parent's side
    /// of the cut, so for a DS the anchor above the parent counts. Nil when `signer` is at or
    /// below that anchor; otherwise the anchor's verdict on `name` when not secure, else bogus.
    func closerAnchorVerdict(_ name: Name, _ type: RRType, signer: Name, _ context: inout Context) async
        -> SecurityStatus?
    {
        let judged = type == .ds ? name.parent ?? name : name
        guard let anchor = anchors.closest(to: judged), anchor.zone.isProperSubdomain(of: signer) else { return nil }
        let outcome = await walk(toward: judged, &context)
        guard case .secure = outcome else { return outcome.status }
        return .bogus(
            ValidationReason(
                .dnssecBogus,
                "\(signer.presentation) signed records for \(name.presentation), below the trust anchor \(anchor.zone.presentation)"
            ))
    }

    /// A referral (RFC 4035 §5.2): a signed DS set makes the delegation secure; a secure denial
    /// of the DS makes it an insecure delegation; anything else is bogus.
    func validateReferral(to child: Name, authority: [SignedRRset], budget: ResponseBudget, _ context: inout Context)
        async -> SecurityStatus
    {
        let signed = authority.filter { [RRType.ds, .nsec, .nsec3].contains($0.type) && !$0.signatures.isEmpty }
        guard let signer = signed.lazy.flatMap(\.signerNames).first(where: { child.isProperSubdomain(of: $0) }) else {
            return await unsignedStatus(
                of: child,
                missing: ValidationReason(
                    .nsecMissing, "referral to \(child.presentation) without a signed DS or its denial"), &context)
        }
        let outcome = await keySet(forZone: signer, &context)
        guard case .secure(let keys) = outcome else { return outcome.status }
        if let ds = authority.first(where: { $0.type == .ds && $0.owner == child }) {
            switch keys.verify(
                ds, now: context.serialNow, everyAlgorithm: configuration.requireEveryDSAlgorithm, budget: budget)
            {
            case .failed(let reason): return .bogus(reason)
            case .verified(let ttl, _, _):
                context.limitTTL(ttl)
                let records = ds.rrset.rdatas.compactMap { $0 as? DS }
                return DSMatcher.usable(records).isEmpty
                    ? .insecure(DSMatcher.unusableReason(records, zone: child)) : .secure
            }
        }
        let evidence = DenialEvidence(
            from: authority, keys: keys, now: context.serialNow, everyAlgorithm: configuration.requireEveryDSAlgorithm,
            budget: budget)
        if let failure = evidence.failure { return .bogus(failure) }
        if let ttl = evidence.ttl { context.limitTTL(ttl) }
        switch evidence.dsDenial(child, zone: keys.zone, iterationLimit: configuration.nsec3IterationLimit) {
        case .insecureDelegation:
            return .insecure(ValidationReason(.other, "\(child.presentation) is a delegation without DS"))
        case .optOut:
            return .insecure(ValidationReason(.other, "\(child.presentation) is in an NSEC3 opt-out span"))
        case .iterationsTooHigh(let count):
            return .insecure(ValidationReason(.unsupportedNSEC3IterationsValue, "NSEC3 with \(count) iterations"))
        case .noZoneCut:
            return .bogus(
                ValidationReason(
                    .dnssecBogus, "referral to \(child.presentation), which the parent says is no delegation"))
        case .notProven(let text):
            return .bogus(ValidationReason(.nsecMissing, text))
        }
    }
}
