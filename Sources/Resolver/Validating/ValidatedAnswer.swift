import DNSSEC
import DNSWire

/// The answer of a trust mode (``ValidatingResolver`` or ``TrustADResolver``): the records with
/// their DNSSEC verdict. A failed lookup (timeout, SERVFAIL, ...) is an `.indeterminate` answer
/// without records, never an empty "no records" answer (DESIGN.md rule 4).
public struct ValidatedAnswer: Sendable, CustomStringConvertible {
    public var question: Question
    /// The response code; nil when no response arrived. An NXDOMAIN that the NSEC proof shows
    /// to be an empty non-terminal is reported as NOERROR (NODATA).
    public var rcode: RCode?
    /// The RRsets the verdict is about, as the validator (or, in trust-AD mode, the shared
    /// answer walk of DNSSEC) returned them: the CNAME/DNAME links from the query name, then the
    /// data at their end. Nothing else of the response is handed out (DESIGN.md rule 12).
    public internal(set) var rrsets: [ValidatedRRset]
    /// Secure, insecure, bogus or indeterminate, with a reason and an RFC 8914 EDE code.
    public var status: SecurityStatus
    /// The zones walked from the trust anchor down (empty in trust-AD mode).
    public var chain: [ChainLink]
    /// The query name, then each CNAME/DNAME target followed (RFC 7671 §7: a TLSA lookup
    /// through a CNAME reports both names).
    public var names: [Name]
    /// Seconds this answer may still be used; nil when it is not cached.
    public var remainingTTL: UInt32?
    /// True when the answer came from the cache of validated answers.
    public var fromCache: Bool
    /// The whole response as received (with RRSIGs and proofs), for diagnostics; nil when the
    /// lookup failed. For a bogus answer `records` is empty, but this still shows what came.
    public var message: Message?

    public init(
        question: Question, rcode: RCode?, rrsets: [ValidatedRRset], status: SecurityStatus, chain: [ChainLink] = [],
        names: [Name] = [], remainingTTL: UInt32? = nil, fromCache: Bool = false, message: Message? = nil
    ) {
        self.question = question
        self.rcode = rcode
        self.rrsets = rrsets
        self.status = status
        self.chain = chain
        self.names = names.isEmpty ? [question.name] : names
        self.remainingTTL = remainingTTL
        self.fromCache = fromCache
        self.message = message
    }

    /// A failed lookup: no response to judge, so neither data nor its absence is known.
    static func failure(_ question: Question, rcode: RCode?, reason: ValidationReason) -> ValidatedAnswer {
        ValidatedAnswer(question: question, rcode: rcode, rrsets: [], status: .indeterminate(reason))
    }

    /// The records of ``rrsets``: the CNAME/DNAME links and the data at their end, all with the
    /// verdict ``status``.
    public var records: [Record] { rrsets.flatMap { $0.records.records } }

    /// The name the data was found at: the last CNAME/DNAME target, or the query name.
    public var canonicalName: Name { names.last ?? question.name }

    /// The Extended DNS Error (RFC 8914) that explains a non-secure verdict.
    public var extendedDNSError: ExtendedDNSError? { status.reason?.extendedDNSError }

    /// NXDOMAIN (after any correction by the proof).
    public var isNameError: Bool { rcode == .nxDomain }

    /// NOERROR without a record of the asked type at the end of the chain (RFC 2308 §2.2).
    public var isNoData: Bool {
        rcode == .noError && records(ofType: question.type).isEmpty
    }

    /// The records of `type` at the end of the CNAME/DNAME chain (the canonical name): a record
    /// of that type at any other owner is not the answer.
    public func records(ofType type: RRType) -> [Record] {
        let owner = canonicalName
        return rrsets.filter { $0.owner == owner && $0.type == type }.flatMap { $0.records.records }
    }

    public var description: String {
        let code = rcode.map { "\($0)" } ?? "no response"
        let via = names.count > 1 ? " via \(names.map(\.presentation).joined(separator: " → "))" : ""
        return "\(question.name.presentation) \(question.type) \(code)\(via): \(status)"
    }
}

/// A way to get answers with a DNSSEC verdict: validate in-process (``ValidatingResolver``, the
/// default) or trust the AD bit of a loopback resolver (``TrustADResolver``). Callers hold one of
/// these and can switch modes by configuration.
public protocol ValidatedLookup: Sendable {
    func resolve(_ name: Name, _ type: RRType) async -> ValidatedAnswer
}
