import DNSWire

/// The verdict on a whole response, and the RRsets it was about.
public struct ValidationResult: Sendable, CustomStringConvertible {
    public var status: SecurityStatus
    /// The zones walked, from the trust anchor down.
    public var chain: [ChainLink]
    /// The names of the answer: the query name, then each CNAME/DNAME target in turn.
    public var names: [Name]
    /// How long the validated data may be cached: min(TTL, RRSIG expiration − now) over every
    /// RRset the verdict rests on (RFC 4035 §5.3.3); nil when nothing was validated.
    public var ttl: UInt32?
    /// Set when the proof contradicts the response code: NXDOMAIN for a name an NSEC shows to
    /// be an empty non-terminal is a NODATA (`.noError`).
    public var correctedRcode: RCode?
    /// The response code the verdict stands for (after any correction); nil without a response.
    public internal(set) var rcode: RCode?
    /// The RRsets of the answer that were judged, in the order of the walk: each CNAME, DNAME
    /// and synthesized CNAME link from the query name, then the data at the end. The only
    /// records of a response that layers above DNSSEC may use (DESIGN.md rule 12).
    public internal(set) var rrsets: [ValidatedRRset] = []

    public init(status: SecurityStatus, chain: [ChainLink] = [], names: [Name] = [], ttl: UInt32? = nil) {
        self.status = status
        self.chain = chain
        self.names = names
        self.ttl = ttl
    }

    /// The last name of the chain: the fully expanded name (RFC 7671 §7).
    public var canonicalName: Name? { names.last }

    /// The records of `type` at the end of the chain with the verdict of the whole chain (the
    /// weakest link's). Bogus and indeterminate answers hand out no records (RFC 4035 §4.3).
    public func answer(ofType type: RRType) -> (status: SecurityStatus, rdatas: [any RDATA]) {
        guard status.isSecure || status.isInsecure, let end = canonicalName else { return (status, []) }
        let rdatas = rrsets.filter { $0.owner == end && $0.type == type }.flatMap { $0.data.rdatas }
        return (status, rdatas)
    }

    /// The verdict of a validating resolver that we trust (the AD bit from a loopback resolver,
    /// RFC 6698 §4.1), applied to `response`: the answer section is walked from the query name
    /// by the same rules as in-process validation (RFC 2181 §10.1, RFC 6672 §3.2), and every
    /// RRset on the way gets `status`. Records off the chain are not handed out.
    public static func trustingAuthenticatedData(_ response: Message, for question: Question, status: SecurityStatus)
        -> ValidationResult
    {
        var result = ValidationResult(status: status, names: [question.name])
        result.rcode = response.rcode
        let sets: [SignedRRset]
        do {
            sets = try SignedRRset.group(response.answers)
        } catch {
            result.status = .bogus(ValidationReason(.invalidData, "malformed records: \(error)"))
            return result
        }
        let walk = AnswerWalk(sets: sets)
        var name = question.name
        for _ in 0...ValidatorConfiguration().maxChainLinks {
            switch walk.step(at: name, type: question.type) {
            case .data(let wanted):
                result.rrsets += wanted.map { ValidatedRRset($0, status: status) }
                return result
            case .end:
                return result
            case .malformed(let reason):
                result.status = status.combined(with: .bogus(reason))
                result.rrsets = []
                return result
            case .cname(let link, let target):
                result.rrsets.append(ValidatedRRset(link, status: status))
                name = target
            case .dname(let link, let target):
                result.rrsets.append(ValidatedRRset(link, status: status))
                result.rrsets.append(.synthesized(from: link, at: name, target: target, status: status))
                name = target
            }
            if result.names.contains(name) { break }
            result.names.append(name)
        }
        result.status = .bogus(ValidationReason(.dnssecBogus, "CNAME/DNAME chain loops or is too long"))
        result.rrsets = []
        return result
    }

    public var description: String {
        "\(status) chain [\(chain.map(\.description).joined(separator: " → "))]"
    }
}

extension ValidatedRRset {
    /// The CNAME that the DNAME `dname` synthesizes at `name` (RFC 6672 §2.3), with the DNAME's
    /// TTL and verdict.
    static func synthesized(from dname: SignedRRset, at name: Name, target: Name, status: SecurityStatus) -> ValidatedRRset {
        ValidatedRRset(owner: name, type: .cname, ttl: dname.rrset.ttl, rdatas: [CNAME(target)], status: status, isSynthesized: true)
    }
}
