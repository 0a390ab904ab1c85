import DNSSEC
import DNSWire

/// A host's addresses with their verdict, the end of their CNAME chain, and what the verdict
/// allows for DANE at this host.
public struct HostAddresses: Sendable {
    /// What the address answers mean for DANE at an MX or SRV host (RFC 7672 §2.2.2, DESIGN.md
    /// rule 7).
    public enum DANEEffect: Sendable, Equatable {
        /// Both answers are secure: the TLSA records decide (looked up at the expanded name first).
        case secure
        /// An answer is proven insecure: no DANE for this host (`tlsa-insecure`).
        case insecure(String)
        /// An answer is bogus, indeterminate or failed: a DNS failure (`tlsa-bogus`,
        /// `tlsa-lookup-failed`, `timeout`), never "insecure" (RFC 4035 §4.3, RFC 7672 §2.1.1,
        /// DESIGN.md rule 4).
        case failure(DANEReason, String)
    }

    /// The addresses, IPv4 and IPv6; empty when an answer was bogus (forged addresses are
    /// never used).
    public var addresses: [String]
    public var status: SecurityStatus
    /// The fully expanded name, when the address answer followed a CNAME (RFC 7671 §7).
    public var expandedName: Name
    /// Set when both lookups failed.
    public var failure: String?
    public var effect: DANEEffect
    /// The RRsets the addresses come from, with their verdicts.
    public var rrsets: [ValidatedRRset]

    /// The addresses of `host` as answered, and what they allow: `status` is the weaker verdict of
    /// the answers that came (nil when none did), `failedLookups` says which lookups failed.
    public init(
        host: Name, addresses: [String], status: SecurityStatus?, expandedName: Name, failedLookups: [String] = [],
        timedOut: Bool = false, rrsets: [ValidatedRRset] = []
    ) {
        let verdict = status ?? .indeterminate(ValidationReason(.networkError, failedLookups.joined(separator: "; ")))
        var addresses = addresses
        switch verdict {
        case _ where !failedLookups.isEmpty:
            effect = .failure(
                timedOut ? .timeout : .tlsaLookupFailed,
                "the address lookup of \(host.presentation) failed: \(failedLookups.joined(separator: "; "))")
        case .secure:
            effect = .secure
        case .insecure:
            effect = .insecure("the address records of \(host.presentation) are not secure: \(verdict)")
        case .bogus:
            effect = .failure(.tlsaBogus, "the address records of \(host.presentation) are bogus: \(verdict)")
            addresses = []
        case .indeterminate:
            effect = .failure(.tlsaLookupFailed, "the address records of \(host.presentation) are indeterminate: \(verdict)")
        }
        self.addresses = addresses
        self.status = verdict
        self.expandedName = expandedName
        self.failure = failedLookups.count == 2 ? failedLookups.joined(separator: "; ") : nil
        self.rrsets = rrsets
    }

    /// Looks up A and AAAA; the verdict is the weaker of the two answers.
    public static func lookup(_ host: Name, source: any SecureLookupSource) async -> HostAddresses {
        var addresses: [String] = []
        var status: SecurityStatus? = nil
        var expanded = host
        var failures: [String] = []
        var timedOut = false
        var rrsets: [ValidatedRRset] = []
        for type in [RRType.a, RRType.aaaa] {
            switch await source.lookup(host, type) {
            case .failed(let text, let timeout):
                failures.append("\(type.mnemonic): \(text)")
                timedOut = timedOut || timeout
            case .answered(let result):
                status = status.map { $0.combined(with: result.status) } ?? result.status
                expanded = result.canonicalName ?? host
                rrsets += result.rrsets
                for rdata in result.answer(ofType: type).rdatas {
                    if let a = rdata as? A { addresses.append(a.presentation) }
                    if let aaaa = rdata as? AAAA { addresses.append(aaaa.presentation) }
                }
            }
        }
        return HostAddresses(
            host: host, addresses: addresses, status: status, expandedName: expanded, failedLookups: failures,
            timedOut: timedOut, rrsets: rrsets)
    }
}
