import DNSSEC
import DNSWire

/// One server host of a service, in preference order.
public struct ServiceTarget: Sendable, Equatable {
    public var host: Name
    public var port: UInt16
    /// MX preference or SRV priority (lower first); 0 for a fixed host.
    public var preference: UInt16

    public init(host: Name, port: UInt16, preference: UInt16 = 0) {
        self.host = host
        self.port = port
        self.preference = preference
    }
}

/// The hosts of a service and whether DANE may be used for them at all: an MX (RFC 7672 §2.2)
/// or SRV (RFC 7673 §3.1) answer that is not secure means no DANE for any of its hosts.
public struct ServiceTargets: Sendable {
    public var targets: [ServiceTarget]
    /// Set when DANE cannot apply to any host (`mx-insecure`, `srv-insecure`), or when the
    /// MX/SRV lookup failed (`tlsa-bogus`, `tlsa-lookup-failed`, `timeout`): then `targets` may
    /// be empty.
    public var reason: DANEReason?
    public var detail: String
    /// The next-hop domain (MX) or service domain (SRV): a reference identifier (RFC 7672
    /// §3.2.3) and, for XMPP, the SNI name (RFC 7673).
    public var serviceDomain: Name
    public var status: SecurityStatus?
    /// The RRsets the MX or SRV answer rests on, with their verdicts.
    public var rrsets: [ValidatedRRset] = []

    /// A single host at a fixed port.
    public static func fixed(_ host: Name, port: UInt16) -> ServiceTargets {
        ServiceTargets(targets: [ServiceTarget(host: host, port: port)], reason: nil, detail: "fixed host", serviceDomain: host, status: nil)
    }

    /// The MX hosts of a mail domain (RFC 5321 §5.1, RFC 7672 §2.2); `port` replaces 25.
    public static func mx(_ domain: Name, port: UInt16 = 25, source: any SecureLookupSource) async -> ServiceTargets {
        switch await source.lookup(domain, .mx) {
        case .failed(let text, let timedOut):
            return ServiceTargets(targets: [], reason: timedOut ? .timeout : .tlsaLookupFailed, detail: "MX lookup failed: \(text)", serviceDomain: domain, status: nil)
        case .answered(let answer):
            let status = answer.status
            if case .bogus(let reason) = status {
                return ServiceTargets(targets: [], reason: .tlsaBogus, detail: "MX RRset is bogus: \(reason)", serviceDomain: domain, status: status)
            }
            if case .indeterminate(let reason) = status {
                return ServiceTargets(targets: [], reason: .tlsaLookupFailed, detail: "MX RRset is indeterminate: \(reason)", serviceDomain: domain, status: status)
            }
            var exchanges = answer.answer(ofType: .mx).rdatas.compactMap { $0 as? MX }
            if answer.rcode == .nxDomain {
                return ServiceTargets(targets: [], reason: nil, detail: "\(domain.presentation) does not exist", serviceDomain: domain, status: status)
            }
            var targets: [ServiceTarget]
            if exchanges.isEmpty {
                // No MX: the domain itself is the implicit MX (RFC 5321 §5.1).
                targets = [ServiceTarget(host: answer.canonicalName ?? domain, port: port)]
            } else {
                exchanges.sort { $0.preference < $1.preference }
                if exchanges.count == 1, exchanges[0].exchange.isRoot {
                    // Null MX (RFC 7505): the domain accepts no mail.
                    return ServiceTargets(targets: [], reason: nil, detail: "null MX: \(domain.presentation) accepts no mail", serviceDomain: domain, status: status)
                }
                targets = exchanges.map { ServiceTarget(host: $0.exchange, port: port, preference: $0.preference) }
            }
            let insecure = status.isSecure ? nil : DANEReason.mxInsecure
            return ServiceTargets(
                targets: targets, reason: insecure,
                detail: status.isSecure ? "MX RRset is secure" : "MX RRset is insecure: \(status)",
                serviceDomain: domain, status: status, rrsets: answer.rrsets)
        }
    }

    /// The SRV targets of `_<service>._tcp.<domain>` (RFC 2782, RFC 7673); `port`, when given,
    /// replaces each target's port. No SRV: the domain itself at `defaultPort` (RFC 6120 §3.2.2).
    public static func srv(
        _ domain: Name, service: String = "xmpp-client", defaultPort: UInt16 = 5222, port: UInt16? = nil,
        source: any SecureLookupSource
    ) async -> ServiceTargets {
        guard let srvName = try? domain.prepending(label: Array("_tcp".utf8)).prepending(label: Array("_\(service)".utf8)) else {
            return ServiceTargets(targets: [], reason: .tlsaLookupFailed, detail: "SRV name too long", serviceDomain: domain, status: nil)
        }
        switch await source.lookup(srvName, .srv) {
        case .failed(let text, let timedOut):
            return ServiceTargets(targets: [], reason: timedOut ? .timeout : .tlsaLookupFailed, detail: "SRV lookup failed: \(text)", serviceDomain: domain, status: nil)
        case .answered(let answer):
            let status = answer.status
            if case .bogus(let reason) = status {
                return ServiceTargets(targets: [], reason: .tlsaBogus, detail: "SRV RRset is bogus: \(reason)", serviceDomain: domain, status: status)
            }
            if case .indeterminate(let reason) = status {
                return ServiceTargets(targets: [], reason: .tlsaLookupFailed, detail: "SRV RRset is indeterminate: \(reason)", serviceDomain: domain, status: status)
            }
            var records = answer.answer(ofType: .srv).rdatas.compactMap { $0 as? SRV }
            var targets: [ServiceTarget]
            if records.isEmpty {
                targets = [ServiceTarget(host: domain, port: port ?? defaultPort)]
            } else {
                // Priority order; weights only spread load, so ties keep a stable order.
                records.sort { ($0.priority, $1.weight) < ($1.priority, $0.weight) }
                if records.count == 1, records[0].target.isRoot {
                    return ServiceTargets(targets: [], reason: nil, detail: "SRV target '.': no service", serviceDomain: domain, status: status)
                }
                targets = records.map { ServiceTarget(host: $0.target, port: port ?? $0.port, preference: $0.priority) }
            }
            return ServiceTargets(
                targets: targets, reason: status.isSecure ? nil : .srvInsecure,
                detail: status.isSecure ? "SRV RRset is secure" : "SRV RRset is insecure: \(status)",
                serviceDomain: domain, status: status, rrsets: answer.rrsets)
        }
    }
}
