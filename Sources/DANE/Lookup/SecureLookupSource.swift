import DNSSEC
import DNSWire

/// Where DANE gets DNS answers with their DNSSEC verdict. Two sources exist: the trusted AD bit
/// of a validating resolver on loopback (`TrustADLookupSource`) and in-process validation from
/// a trust anchor (`ValidatingLookupSource`).
public protocol SecureLookupSource: Sendable {
    /// One lookup and its verdict. A failed lookup is never an empty answer (DESIGN rule 4).
    func lookup(_ name: Name, _ type: RRType) async -> SecureLookup
    /// "trust-ad" or "validating", for reports.
    var mode: String { get }
}

/// A lookup's outcome.
public enum SecureLookup: Sendable {
    /// A response (NOERROR or NXDOMAIN) with its verdict and, when known, the chain that proved it.
    case answered(Message, status: SecurityStatus, chain: [ChainLink])
    /// No usable response: timeout, SERVFAIL without data, network error.
    case failed(String, timedOut: Bool)
}

/// The records of one type at the end of the CNAME chain that starts at `name`
/// (RFC 1034 §3.6.2), with the names along the chain.
public struct AnswerChain: Sendable {
    /// The query name, then each CNAME target.
    public let names: [Name]
    public let records: [Record]
    public let rcode: RCode

    /// The last name of the chain: the fully expanded name (RFC 7671 §7).
    public var expandedName: Name { names[names.count - 1] }

    public init(_ message: Message, name: Name, type: RRType) {
        var names = [name]
        var current = name
        // A bounded walk: a CNAME loop in a hostile answer ends here.
        for _ in 0..<16 {
            guard type != .cname,
                let alias = message.answers.first(where: { $0.type == .cname && $0.owner == current }),
                let target = (alias.rdata as? CNAME)?.target,
                !names.contains(target)
            else { break }
            names.append(target)
            current = target
        }
        self.names = names
        let final = current
        records = message.answers.filter { $0.type == type && $0.owner == final }
        rcode = message.rcode
    }
}
