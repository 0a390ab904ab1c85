import DNSSEC
import DNSWire

/// The TLSA state of one server host and port, after the RFC 7671 §7 CNAME rules: what was
/// tried, where the RRset was found, its verdict, its records split into usable and unusable,
/// and the names a DANE-TA(2) match must carry.
public struct HostTLSA: Sendable {
    /// What the lookup means for a connection.
    public enum Outcome: Sendable, Equatable {
        /// Secure, with at least one usable record.
        case usable
        /// Secure, but every record is unusable (`tlsa-unusable`).
        case allUnusable
        /// Securely absent: NODATA or NXDOMAIN with a secure denial (`no-tlsa`).
        case securelyAbsent
        /// The RRset or its denial is insecure, or the host's address records are (`tlsa-insecure`).
        case insecure(String)
        /// Validation failed (`tlsa-bogus`).
        case bogus(String)
        /// The lookup failed or had no trust anchor to decide with (`tlsa-lookup-failed`, `timeout`).
        case lookupFailed(String, timedOut: Bool)
    }

    public var host: Name
    public var port: UInt16
    /// The TLSA names asked, in order (the expanded name first, RFC 7671 §7).
    public var namesTried: [Name]
    /// The TLSA name whose answer decided the outcome.
    public var tlsaName: Name
    /// The TLSA base domain (RFC 7671 §3): the host name the used TLSA name was built from.
    public var baseDomain: Name
    /// Names a DANE-TA(2) (or PKIX) match may carry; the base domain first.
    public var referenceIdentifiers: [String]
    public var outcome: Outcome
    /// The DNSSEC verdict of the deciding answer.
    public var status: SecurityStatus
    /// The chain that proved it (in-process validation only).
    public var chain: [ChainLink]
    public var usable: [TLSA]
    public var unusable: [UnusableRecord]
    /// The RRsets the deciding answer rests on (CNAME links, the TLSA RRset), with their verdicts.
    public var rrsets: [ValidatedRRset] = []

    /// Every record of the RRset, usable first.
    public var records: [TLSA] { usable + unusable.map(\.record) }

    /// The reason code when DANE cannot authenticate this host; nil when usable records exist.
    public var reason: DANEReason? {
        switch outcome {
        case .usable: nil
        case .allUnusable: .tlsaUnusable
        case .securelyAbsent: .noTLSA
        case .insecure: .tlsaInsecure
        case .bogus: .tlsaBogus
        case .lookupFailed(_, let timedOut): timedOut ? .timeout : .tlsaLookupFailed
        }
    }

    /// A human explanation of the outcome.
    public var detail: String {
        switch outcome {
        case .usable: "\(usable.count) usable TLSA record(s)"
        case .allUnusable: "every TLSA record is unusable"
        case .securelyAbsent: "no TLSA records (securely denied)"
        case .insecure(let text), .bogus(let text): text
        case .lookupFailed(let text, _): text
        }
    }
}

/// Finds a host's TLSA records per RFC 7671 §7 and filters them for the protocol.
public enum HostTLSALookup {
    /// Looks up `_<port>._tcp` TLSA for `host`. When `expandedName` (the end of a secure CNAME
    /// chain from the host's address lookup) differs from `host`, the TLSA at the expanded name
    /// is tried first, then at the original; both names become reference identifiers.
    /// `extraReferenceIdentifiers` adds, for example, the MX next-hop domain (RFC 7672 §3.2.3)
    /// or the SRV service domain (RFC 7673).
    public static func lookup(
        host: Name, port: UInt16, service: ServiceProtocol, expandedName: Name? = nil,
        extraReferenceIdentifiers: [String] = [], source: any SecureLookupSource
    ) async -> HostTLSA {
        var candidates = [host]
        if let expandedName, expandedName != host { candidates.insert(expandedName, at: 0) }
        var identifiers: [String] = []
        for name in candidates.map(\.hostName) + extraReferenceIdentifiers where !identifiers.contains(name) {
            identifiers.append(name)
        }
        var result = HostTLSA(
            host: host, port: port, namesTried: [], tlsaName: host, baseDomain: host,
            referenceIdentifiers: identifiers, outcome: .lookupFailed("not looked up", timedOut: false),
            status: .indeterminate(ValidationReason(.other, "not looked up")), chain: [], usable: [], unusable: [])
        for (index, candidate) in candidates.enumerated() {
            let isLast = index == candidates.count - 1
            guard let tlsaName = try? TLSAName.name(port: port, host: candidate) else {
                result.outcome = .lookupFailed("the TLSA name for \(candidate.presentation) is too long", timedOut: false)
                return result
            }
            result.namesTried.append(tlsaName)
            result.tlsaName = tlsaName
            result.baseDomain = candidate
            switch await source.lookup(tlsaName, .tlsa) {
            case .failed(let text, let timedOut):
                // Rule 4: a failed lookup is never "no TLSA", and no other name is tried.
                result.outcome = .lookupFailed("TLSA lookup of \(tlsaName.presentation) failed: \(text)", timedOut: timedOut)
                return result
            case .answered(let answer):
                let status = answer.status
                result.status = status
                result.chain = answer.chain
                result.rrsets = answer.rrsets
                switch status {
                case .bogus(let reason):
                    result.outcome = .bogus("TLSA \(tlsaName.presentation) is bogus: \(reason)")
                    return result
                case .indeterminate(let reason):
                    result.outcome = .lookupFailed("TLSA \(tlsaName.presentation) is indeterminate: \(reason)", timedOut: false)
                    return result
                case .insecure(let reason):
                    result.outcome = .insecure("TLSA \(tlsaName.presentation) is insecure: \(reason)")
                    if isLast { return result }
                case .secure:
                    // Only the TLSA RRset the validator judged, at the end of its chain.
                    let records = answer.answer(ofType: .tlsa).rdatas.compactMap { $0 as? TLSA }
                    if records.isEmpty {
                        result.outcome = .securelyAbsent
                        if isLast { return result }
                        continue
                    }
                    let (usable, unusable) = TLSAUsability.partition(records, for: service)
                    result.usable = usable
                    result.unusable = unusable
                    result.outcome = usable.isEmpty ? .allUnusable : .usable
                    // The base domain leads the reference identifiers.
                    let base = candidate.hostName
                    result.referenceIdentifiers = [base] + identifiers.filter { $0 != base }
                    return result
                }
            }
        }
        return result
    }
}
