import DNSWire

/// The validation work one lookup may cost, counted across every response it reads (the
/// answer, and the DS responses of the chain walk): signature verifications (the KeyTrap
/// class, CVE-2023-50387) and NSEC3 hash computations (CVE-2023-50868). When a budget runs out
/// the lookup is bogus; the limits are in ``ValidatorConfiguration`` and README.md.
///
/// A class: every step of one validation spends from the same budget. It lives inside the
/// validator actor, in one validation's context, and is never shared between lookups.
final class LookupBudget {
    enum Work: String {
        case signatureChecks = "signature checks"
        case nsec3Hashes = "NSEC3 hashes"
    }

    let configuration: ValidatorConfiguration
    private var spent: [Work: Int] = [:]
    /// Why the lookup ran out, once it has.
    private(set) var exhausted: ValidationReason?

    init(_ configuration: ValidatorConfiguration) {
        self.configuration = configuration
    }

    /// A meter for one more response of this lookup.
    func response() -> ResponseBudget { ResponseBudget(lookup: self) }

    /// Spends one unit of `work` when both the response (which has spent `inResponse`) and
    /// the lookup have room for it.
    fileprivate func spend(_ work: Work, after inResponse: Int) -> Bool {
        let (perResponse, perLookup) = limits(work)
        if inResponse >= perResponse { return refuse("more than \(perResponse) \(work.rawValue) for one response") }
        let total = spent[work, default: 0]
        if total >= perLookup { return refuse("more than \(perLookup) \(work.rawValue) for one lookup") }
        spent[work] = total + 1
        return true
    }

    private func limits(_ work: Work) -> (perResponse: Int, perLookup: Int) {
        switch work {
        case .signatureChecks: (configuration.signatureChecksPerResponse, configuration.signatureChecksPerLookup)
        case .nsec3Hashes: (configuration.nsec3HashesPerResponse, configuration.nsec3HashesPerLookup)
        }
    }

    private func refuse(_ text: String) -> Bool {
        if exhausted == nil { exhausted = ValidationReason(.dnssecBogus, "validation budget exceeded: \(text)") }
        return false
    }
}

/// The work spent on one response of a lookup, within the lookup's budget.
final class ResponseBudget {
    let lookup: LookupBudget
    private var spent: [LookupBudget.Work: Int] = [:]

    init(lookup: LookupBudget) {
        self.lookup = lookup
    }

    /// True when one more signature verification is allowed (and counts it).
    func spendSignatureCheck() -> Bool { spend(.signatureChecks) }

    /// True when one more NSEC3 hash computation is allowed (and counts it).
    func spendNSEC3Hash() -> Bool { spend(.nsec3Hashes) }

    private func spend(_ work: LookupBudget.Work) -> Bool {
        let used = spent[work, default: 0]
        guard lookup.spend(work, after: used) else { return false }
        spent[work] = used + 1
        return true
    }

    /// Why the lookup ran out, if it has.
    var exhausted: ValidationReason? { lookup.exhausted }
}
