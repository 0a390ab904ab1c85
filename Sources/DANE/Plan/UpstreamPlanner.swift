import DNSSEC
import DNSWire
import EventLoop
import TLS

/// Makes an ``UpstreamPlan``: the MX or SRV lookup, then per host its addresses (rule 7), its
/// TLSA (RFC 7671 §7 CNAME rules), its TLS options, and the refusals the policy makes before
/// any connect (DESIGN rules 4 and 5). Runs on any task; touches no loop.
public enum UpstreamPlanner {
    public static func plan(_ request: UpstreamRequest, source: any SecureLookupSource) async -> UpstreamPlan {
        let targets = await serviceTargets(request, source: source)
        var hosts: [PlannedHost] = []
        for target in targets.targets.prefix(max(1, request.hostLimit)) {
            hosts.append(await planHost(target, of: targets, request: request, source: source))
        }
        return UpstreamPlan(
            request: request, serviceDomain: targets.serviceDomain, targetStatus: targets.status,
            targetReason: targets.reason, targetDetail: targets.detail, hosts: hosts)
    }

    static func serviceTargets(_ request: UpstreamRequest, source: any SecureLookupSource) async -> ServiceTargets {
        guard let domain = try? Name(presentation: TLSAName.absolute(request.target.name)) else {
            return ServiceTargets(
                targets: [], reason: .tlsaLookupFailed, detail: "not a domain name: \(request.target.name)",
                serviceDomain: .root, status: nil)
        }
        switch request.target {
        case .host(_, let port):
            return .fixed(domain, port: port)
        case .mx(_, let port):
            return await ServiceTargets.mx(domain, port: port, source: source)
        case .srv(_, let port):
            return await ServiceTargets.srv(
                domain, defaultPort: request.service.defaultPort ?? 5222, port: port, source: source)
        }
    }

    static func isAddressLiteral(_ host: String) -> Bool {
        (try? SocketAddress(host: host, port: 0)) != nil
    }

    static func planHost(
        _ target: ServiceTarget, of targets: ServiceTargets, request: UpstreamRequest, source: any SecureLookupSource
    ) async -> PlannedHost {
        let hostName = target.host.hostName
        let viaServiceRecord = targets.status != nil
        var daneReason = targets.reason
        var daneDetail = targets.detail
        var addresses: [SocketAddress] = []
        var addressStatus: SecurityStatus? = nil
        var evidence: SecureHostEvidence? = nil
        let literal = isAddressLiteral(hostName)
        if literal {
            addresses = (try? SocketAddress(host: hostName, port: target.port)).map { [$0] } ?? []
        } else {
            let lookup = await HostAddresses.lookup(target.host, source: source)
            addressStatus = lookup.status
            addresses = HappyEyeballs.preferenceOrder(
                lookup.addresses.compactMap { try? SocketAddress(host: $0, port: target.port) })
            switch AddressDecision.decide(lookup, host: target.host, serviceRecordStatus: targets.status) {
            case .dnsFailure(let reason, let detail):
                // Rule 7: a bogus or failed address answer is a DNS failure (rule 4), which
                // outranks an insecure MX or SRV.
                daneReason = reason
                daneDetail = detail
            case .insecure(let detail):
                // RFC 7672 §2.2.2, RFC 7673 §3.1: an MX or SRV host whose addresses are not
                // secure gets no DANE. A fixed host's TLSA speaks for itself.
                if viaServiceRecord, daneReason == nil {
                    daneReason = .tlsaInsecure
                    daneDetail = detail
                }
            case .secure(let proof):
                evidence = proof
            }
        }
        if let connectAddress = request.connectAddress { addresses = [connectAddress] }
        if viaServiceRecord, evidence == nil, daneReason == nil {
            daneReason = .tlsaInsecure
            daneDetail = "the \(request.target) target \(hostName) has no secure address records"
        }

        var tlsa: HostTLSA? = nil
        // The TLSA of an MX or SRV target is used only with a secure MX/SRV RRset (no target
        // reason) and secure addresses (the evidence); a fixed host needs neither.
        if daneReason == nil, !viaServiceRecord || evidence != nil {
            let extra = viaServiceRecord ? [targets.serviceDomain.hostName] : []
            let found = await HostTLSALookup.lookup(
                host: target.host, port: target.port, service: request.service, expandedName: evidence?.expandedName,
                extraReferenceIdentifiers: extra, source: source)
            tlsa = found
            daneReason = found.reason
            daneDetail = found.detail
        }

        let options = tlsOptions(
            request: request, host: hostName, literal: literal, serviceDomain: targets.serviceDomain,
            tlsa: daneReason == nil ? tlsa : nil, baseDomain: tlsa?.baseDomain.hostName)
        var planned = PlannedHost(
            host: target.host, port: target.port, preference: target.preference, addresses: addresses,
            addressStatus: addressStatus, tlsa: tlsa, daneReason: daneReason, daneDetail: daneDetail,
            tlsOptions: options, refusal: nil)
        planned.refusal = refusal(daneReason, detail: daneDetail, policy: request.policy)
        if planned.refusal == nil, addresses.isEmpty {
            planned.refusal = UpstreamFailure(.upstreamUnreachable, "no address for \(target.host.presentation)")
        }
        return planned
    }

    /// The policy's decision before any connect. Rule 4: DNS failures (bogus, failed lookups)
    /// are refused under every policy, as temporary failures; rule 5: without secure usable
    /// TLSA `require` refuses, `opportunistic` and `audit` go on unauthenticated.
    public static func refusal(_ reason: DANEReason?, detail: String, policy: DANEPolicy) -> UpstreamFailure? {
        guard let reason else { return nil }
        switch policy {
        case .require: return UpstreamFailure(reason, detail)
        case .opportunistic, .audit: return reason.category == .dnsFailure ? UpstreamFailure(reason, detail) : nil
        }
    }

    /// SNI: the configured name; the service domain for XMPP (RFC 7673); the host for HTTPS
    /// (DESIGN "Protocols": SNI and Host are the target host); else the TLSA base domain
    /// (RFC 7672 §8.1). DANE-EE(3) skips name checks unless asked (RFC 7671 §5.1).
    static func tlsOptions(
        request: UpstreamRequest, host: String, literal: Bool, serviceDomain: Name, tlsa: HostTLSA?, baseDomain: String?
    ) -> TLSClientOptions {
        let sni: String?
        if let serverName = request.serverName {
            sni = serverName
        } else if literal {
            sni = nil
        } else {
            switch request.service {
            case .xmpp: sni = serviceDomain.hostName
            case .https: sni = host
            case .smtp, .irc, .tls: sni = baseDomain ?? host
            }
        }
        let enforce = !request.reportOnly && (request.policy == .require || (tlsa != nil && request.policy != .audit))
        var options = TLSClientOptions(serverName: sni, enforcement: enforce ? .enforce : .reportOnly)
        if let tlsa {
            options.dane = DANEParameters(
                baseDomain: tlsa.baseDomain.hostName, records: tlsa.usable.map(\.openSSLRecord),
                skipDANEEENameChecks: !request.daneEENameChecks)
            options.referenceIdentifiers = tlsa.referenceIdentifiers
        } else if !literal {
            options.referenceIdentifiers = [host]
        }
        return options
    }
}
