import DNSSEC
import DNSWire

/// What a host's A/AAAA answers allow (DESIGN rule 7, RFC 7672 §2.2.2, RFC 7673 §3.1).
public enum AddressDecision: Sendable {
    /// Both answers validated: DANE may use this host's TLSA.
    case secure(SecureHostEvidence)
    /// Proven insecure (an insecure delegation): no DANE for an MX or SRV target.
    case insecure(String)
    /// Bogus, indeterminate or failed: a DNS failure (rule 4), never read as "insecure".
    case dnsFailure(DANEReason, String)

    /// The decision for one host's address lookup. `serviceRecordStatus` is the verdict on the
    /// MX or SRV RRset that named the host (nil for a fixed host): the evidence is made only
    /// when that is secure too.
    public static func decide(
        _ addresses: HostAddresses, host: Name, serviceRecordStatus: SecurityStatus? = nil
    ) -> AddressDecision {
        switch addresses.effect {
        case .failure(let reason, let text):
            return .dnsFailure(reason, text)
        case .insecure(let text):
            return .insecure(text)
        case .secure:
            if let serviceRecordStatus, !serviceRecordStatus.isSecure {
                return .insecure("the MX or SRV RRset naming \(host.presentation) is not secure: \(serviceRecordStatus)")
            }
            return .secure(SecureHostEvidence(host: host, expandedName: addresses.expandedName))
        }
    }
}

/// Proof that a host's address records, and the MX or SRV RRset that named it, validated as
/// secure. Only ``AddressDecision/decide(_:host:serviceRecordStatus:)`` makes one, and the
/// planner looks up the TLSA of an MX or SRV target only with one in hand: rule 7 is held by
/// the types where the answers are used.
public struct SecureHostEvidence: Sendable {
    public let host: Name
    /// The end of the secure CNAME chain (RFC 7671 §7): its TLSA is tried first.
    public let expandedName: Name

    fileprivate init(host: Name, expandedName: Name) {
        self.host = host
        self.expandedName = expandedName
    }
}
