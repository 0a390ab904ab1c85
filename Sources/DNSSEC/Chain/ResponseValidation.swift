import DNSWire

/// Validation of a whole response (RFC 4035 §5): the answer's RRsets link by link along
/// CNAME and DNAME records, wildcard expansions with their proof that the query name does not
/// exist, NXDOMAIN and NODATA proofs, and referrals. The verdict is the weakest link's.
extension DNSSECValidator {
    /// Looks `name`/`type` up through the fetcher and validates the response.
    public func lookup(_ name: Name, _ type: RRType) async -> (response: Message?, result: ValidationResult) {
        switch await fetcher.fetch(name, type) {
        case .failure(let text):
            return (nil, ValidationResult(status: .indeterminate(ValidationReason(.networkError, "lookup failed: \(text)"))))
        case .response(let message):
            return (message, await validate(message, for: Question(name: name, type: type)))
        }
    }

    /// The verdict on `response`, the answer to `question`.
    public func validate(_ response: Message, for question: Question) async -> ValidationResult {
        var context = Context(now: clock())
        var names = [question.name]
        let status = await validate(response, question, &context, names: &names)
        var result = ValidationResult(status: status, chain: context.chain, names: names, ttl: context.ttl)
        result.correctedRcode = context.correctedRcode
        return result
    }

    private func validate(_ response: Message, _ question: Question, _ context: inout Context, names: inout [Name]) async
        -> SecurityStatus
    {
        guard response.rcode == .noError || response.rcode == .nxDomain else {
            return .indeterminate(ValidationReason(.other, "response code \(response.rcode) carries nothing to validate"))
        }
        let answer: [SignedRRset]
        let authority: [SignedRRset]
        do {
            answer = try SignedRRset.group(response.answers)
            authority = try SignedRRset.group(response.authority)
        } catch {
            return .bogus(ValidationReason(.invalidData, "malformed records: \(error)"))
        }

        var status = SecurityStatus.secure
        var sname = question.name
        var links = 0
        while true {
            let atName = answer.filter { $0.owner == sname }
            let wanted = question.type == .any ? atName : atName.filter { $0.type == question.type }
            if !wanted.isEmpty {
                for set in wanted {
                    status = status.combined(with: await validateRRset(set, authority: authority, &context))
                }
                return status
            }
            // A broken link cannot be mended by later ones: stop fetching.
            if status.isBogus { return status }
            links += 1
            guard links <= configuration.maxChainLinks else {
                return status.combined(with: .bogus(ValidationReason(.dnssecBogus, "more than \(configuration.maxChainLinks) CNAME/DNAME links")))
            }
            // DNAME (RFC 6672): a validated DNAME above sname makes the CNAME it synthesizes
            // trustworthy even unsigned (RFC 6672 §5.3.1).
            if let dname = answer.first(where: { $0.type == .dname && sname.isProperSubdomain(of: $0.owner) }),
                let target = (dname.rrset.rdatas.first as? DNAME).flatMap({ Self.substitute(sname, owner: dname.owner, target: $0.target) })
            {
                status = status.combined(with: await validateRRset(dname, authority: authority, &context))
                sname = target
                names.append(target)
                continue
            }
            if question.type != .cname, let cname = atName.first(where: { $0.type == .cname }),
                let target = (cname.rrset.rdatas.first as? CNAME)?.target
            {
                status = status.combined(with: await validateRRset(cname, authority: authority, &context))
                sname = target
                names.append(target)
                continue
            }
            break
        }
        // No data for sname: a referral, NXDOMAIN or NODATA, each to be proven.
        let isReferral = response.rcode == .noError && answer.isEmpty
            && authority.contains(where: { $0.type == .ns }) && !authority.contains(where: { $0.type == .soa })
        if isReferral, let delegation = authority.first(where: { $0.type == .ns && sname.isSubdomain(of: $0.owner) }) {
            return status.combined(with: await validateReferral(to: delegation.owner, authority: authority, &context))
        }
        let isNameError = response.rcode == .nxDomain
        return status.combined(
            with: await validateDenial(
                sname, type: question.type, nameError: isNameError, authority: authority, chainTarget: sname != question.name,
                &context))
    }

    /// `name` with its `owner` suffix replaced by `target` (RFC 6672 §2.2).
    static func substitute(_ name: Name, owner: Name, target: Name) -> Name? {
        guard name.isProperSubdomain(of: owner) else { return nil }
        let prefix = name.labels.prefix(name.labelCount - owner.labelCount).map { Array($0) }
        return try? Name(labels: prefix + target.labels.map { Array($0) })
    }

    /// One RRset of the answer: its signature with the signer's key set, and for a wildcard
    /// expansion the proof that the owner itself does not exist (RFC 4035 §5.3.4).
    func validateRRset(_ set: SignedRRset, authority: [SignedRRset], _ context: inout Context) async -> SecurityStatus {
        // The deepest signer above the owner is the zone the RRset belongs to.
        let signers = set.signerNames.filter { set.owner.isSubdomain(of: $0) }
        guard let signer = signers.max(by: { $0.labelCount < $1.labelCount }) else {
            // Unsigned data is acceptable only below a proven insecure delegation.
            return await unsignedStatus(of: set.owner, missing: ValidationReason(
                .rrsigsMissing, "\(set.owner.presentation) \(set.type) has no RRSIG from a zone above it"), &context)
        }
        if let verdict = await closerAnchorVerdict(set.owner, set.type, signer: signer, &context) { return verdict }
        let keys: ValidatedKeySet
        switch await keySet(forZone: signer, &context) {
        case .secure(let found): keys = found
        case .insecure(let reason): return .insecure(reason)
        case .bogus(let reason): return .bogus(reason)
        case .indeterminate(let reason): return .indeterminate(reason)
        }
        switch keys.verify(set, now: context.serialNow, everyAlgorithm: configuration.requireEveryDSAlgorithm) {
        case .failed(let reason):
            return .bogus(reason)
        case .verified(let ttl, let signature, _):
            context.limitTTL(ttl)
            guard Int(signature.labels) < set.owner.rrsigLabelCount,
                let source = set.owner.ancestor(labelCount: Int(signature.labels))
            else { return .secure }
            let evidence = DenialEvidence(from: authority, keys: keys, now: context.serialNow, everyAlgorithm: configuration.requireEveryDSAlgorithm)
            if let evidenceTTL = evidence.ttl { context.limitTTL(evidenceTTL) }
            let proof = evidence.wildcardAnswer(
                set.owner, source: source, zone: keys.zone, iterationLimit: configuration.nsec3IterationLimit)
            return proof.status
        }
    }

    /// The status of data without signatures: insecure when a delegation above it is proven
    /// unsigned, otherwise bogus with `missing` as the reason.
    func unsignedStatus(of name: Name, missing: ValidationReason, _ context: inout Context) async -> SecurityStatus {
        switch await walk(toward: name, &context) {
        case .secure: return .bogus(missing)
        case .insecure(let reason): return .insecure(reason)
        case .bogus(let reason): return .bogus(reason)
        case .indeterminate(let reason): return .indeterminate(reason)
        }
    }

    /// NXDOMAIN or NODATA for `name`: the signed NSEC/NSEC3 records of the authority section
    /// must prove it (RFC 4035 §5.4, RFC 5155 §8). For a CNAME or DNAME target
    /// (`chainTarget`), the parent's proof of an unsigned delegation above it will do instead.
    func validateDenial(
        _ name: Name, type: RRType, nameError: Bool, authority: [SignedRRset], chainTarget: Bool = false,
        _ context: inout Context
    ) async -> SecurityStatus {
        let signed = authority.filter { [RRType.nsec, .nsec3, .soa].contains($0.type) && !$0.signatures.isEmpty }
        let what = nameError ? "NXDOMAIN" : "NODATA"
        // The deepest zone that signed records here is the one that can speak for the name,
        // except that the DS at a zone's apex is its parent's to deny (RFC 4035 §5.2).
        var signers = signed.flatMap(\.signerNames).filter { name.isSubdomain(of: $0) }
        if type == .ds, signers.contains(where: { $0 != name }) { signers.removeAll { $0 == name } }
        guard let signer = signers.max(by: { $0.labelCount < $1.labelCount }) else {
            return await unsignedStatus(of: name, missing: ValidationReason(
                .nsecMissing, "\(what) for \(name.presentation) \(type) without signed NSEC or NSEC3 records"), &context)
        }
        if let verdict = await closerAnchorVerdict(name, type, signer: signer, &context) { return verdict }
        let keys: ValidatedKeySet
        switch await keySet(forZone: signer, &context) {
        case .secure(let found): keys = found
        case .insecure(let reason): return .insecure(reason)
        case .bogus(let reason): return .bogus(reason)
        case .indeterminate(let reason): return .indeterminate(reason)
        }
        let evidence = DenialEvidence(from: authority, keys: keys, now: context.serialNow, everyAlgorithm: configuration.requireEveryDSAlgorithm)
        if let failure = evidence.failure { return .bogus(failure) }
        if let ttl = evidence.ttl { context.limitTTL(ttl) }
        // RFC 2308 §5: a negative answer lives no longer than the SOA MINIMUM field.
        if let soa = authority.first(where: { $0.type == .soa && $0.owner == keys.zone })?.rrset.rdatas.first as? SOA {
            context.limitTTL(soa.minimum)
        }
        let limit = configuration.nsec3IterationLimit
        var proof = nameError
            ? evidence.nameError(name, zone: keys.zone, iterationLimit: limit)
            : evidence.noData(name, type: type, zone: keys.zone, iterationLimit: limit)
        // Some servers answer NXDOMAIN for an empty non-terminal; when the NSEC shows the name
        // exists without data, the answer is a proven NODATA (as Unbound treats it).
        if nameError, case .notProven = proof, NSECDenial.emptyNonTerminal(name, records: evidence.nsec, zone: keys.zone) {
            context.correctedRcode = .noError
            proof = .proven
        }
        if case .notProven(let text) = proof {
            // The data of a CNAME target below a delegation without DS is insecure (RFC 4035
            // §4.3): the parent's verified NSEC or NSEC3 at the cut is the proof.
            if chainTarget, !nameError, let cut = evidence.unsignedDelegation(above: name, zone: keys.zone, iterationLimit: limit) {
                return .insecure(ValidationReason(.other, "\(cut.presentation) is a delegation without DS"))
            }
            return .bogus(ValidationReason(.nsecMissing, "\(what) for \(name.presentation) \(type) not proven: \(text)"))
        }
        return proof.status
    }

    /// Data at `name` is judged from the closest trust anchor above it (RFC 4035 §5), as
    /// Unbound does for a CNAME toward a closer anchor: a zone above that anchor, `signer`,
    /// cannot vouch for it, not even by an NSEC3 opt-out span. A DS belongs to the parent's side
    /// of the cut, so for a DS the anchor above the parent counts. Nil when `signer` is at or
    /// below that anchor; otherwise the anchor's verdict on `name` when not secure, else bogus.
    func closerAnchorVerdict(_ name: Name, _ type: RRType, signer: Name, _ context: inout Context) async -> SecurityStatus? {
        let judged = type == .ds ? name.parent ?? name : name
        guard let anchor = anchors.closest(to: judged), anchor.zone.isProperSubdomain(of: signer) else { return nil }
        switch await walk(toward: judged, &context) {
        case .secure:
            return .bogus(ValidationReason(.dnssecBogus,
                "\(signer.presentation) signed records for \(name.presentation), below the trust anchor \(anchor.zone.presentation)"))
        case .insecure(let reason): return .insecure(reason)
        case .bogus(let reason): return .bogus(reason)
        case .indeterminate(let reason): return .indeterminate(reason)
        }
    }

    /// A referral (RFC 4035 §5.2): a signed DS set makes the delegation secure; a secure denial
    /// of the DS makes it an insecure delegation; anything else is bogus.
    func validateReferral(to child: Name, authority: [SignedRRset], _ context: inout Context) async -> SecurityStatus {
        let signed = authority.filter { [RRType.ds, .nsec, .nsec3].contains($0.type) && !$0.signatures.isEmpty }
        guard let signer = signed.lazy.flatMap(\.signerNames).first(where: { child.isProperSubdomain(of: $0) }) else {
            return await unsignedStatus(of: child, missing: ValidationReason(
                .nsecMissing, "referral to \(child.presentation) without a signed DS or its denial"), &context)
        }
        let keys: ValidatedKeySet
        switch await keySet(forZone: signer, &context) {
        case .secure(let found): keys = found
        case .insecure(let reason): return .insecure(reason)
        case .bogus(let reason): return .bogus(reason)
        case .indeterminate(let reason): return .indeterminate(reason)
        }
        if let ds = authority.first(where: { $0.type == .ds && $0.owner == child }) {
            switch keys.verify(ds, now: context.serialNow, everyAlgorithm: configuration.requireEveryDSAlgorithm) {
            case .failed(let reason): return .bogus(reason)
            case .verified(let ttl, _, _):
                context.limitTTL(ttl)
                let records = ds.rrset.rdatas.compactMap { $0 as? DS }
                return DSMatcher.usable(records).isEmpty ? .insecure(DSMatcher.unusableReason(records, zone: child)) : .secure
            }
        }
        let evidence = DenialEvidence(from: authority, keys: keys, now: context.serialNow, everyAlgorithm: configuration.requireEveryDSAlgorithm)
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
            return .bogus(ValidationReason(.dnssecBogus, "referral to \(child.presentation), which the parent says is no delegation"))
        case .notProven(let text):
            return .bogus(ValidationReason(.nsecMissing, text))
        }
    }
}
