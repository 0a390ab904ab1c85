import DNSWire
import EventLoop
import TLS

/// What to check or connect to.
public struct ServiceRequest: Sendable {
    public var service: ServiceProtocol
    /// A host name, or with `viaMX`/`viaSRV` the mail or XMPP domain.
    public var target: String
    /// The port; for MX/SRV it replaces each target's port.
    public var port: UInt16?
    public var viaMX: Bool
    public var viaSRV: Bool
    /// Where to connect instead of the hosts' addresses; names, ports and TLSA stay as DNS says.
    public var connectAddress: SocketAddress?
    /// Only the most preferred host.
    public var firstOnly: Bool

    public init(
        service: ServiceProtocol, target: String, port: UInt16? = nil, viaMX: Bool = false, viaSRV: Bool = false,
        connectAddress: SocketAddress? = nil, firstOnly: Bool = false
    ) {
        self.service = service
        self.target = target
        self.port = port
        self.viaMX = viaMX
        self.viaSRV = viaSRV
        self.connectAddress = connectAddress
        self.firstOnly = firstOnly
    }
}

/// DANE-verified client connections: the TLSA lookup (with MX or SRV when asked), the TCP
/// connection, STARTTLS where the protocol has it, the handshake through OpenSSL's DANE API
/// and the verdict. Owns one event loop thread for its connections.
public final class DANEConnector: Sendable {
    public let source: any SecureLookupSource
    public let trustRoots: TLSConfiguration.TrustRoots
    /// The deadline for connecting, STARTTLS and the handshake, per host.
    public let timeout: Duration
    /// The name we give in SMTP EHLO.
    public let clientName: String
    private let thread: EventLoopThread
    private let contexts: [TLSContext]

    public init(
        source: any SecureLookupSource, trustRoots: TLSConfiguration.TrustRoots = .system,
        timeout: Duration = .seconds(20), clientName: String = "danegate.invalid"
    ) throws {
        self.source = source
        self.trustRoots = trustRoots
        self.timeout = timeout
        self.clientName = clientName
        thread = try EventLoopThread()
        // One context without ALPN, one offering http/1.1.
        contexts = [
            try TLSContext(.client(trustRoots: trustRoots)),
            try TLSContext(.client(trustRoots: trustRoots, alpnProtocols: ["http/1.1"])),
        ]
    }

    deinit {
        if thread.loop.inLoopThread {
            // Released from inside its own loop: the thread cannot join itself.
            thread.loop.stop()
        } else {
            thread.stopAndJoin()
        }
    }

    /// The event loop connections run on.
    public var loop: EventLoop { thread.loop }

    // MARK: Probe

    /// Checks every host of the service (or the first) and reports each in preference order.
    /// Every handshake completes in report-only mode so the table is complete; the verdict is
    /// DANE's.
    public func probe(_ request: ServiceRequest) async -> ProbeReport {
        let targets = await resolveTargets(request)
        var report = ProbeReport(
            service: request.service, target: request.target, hosts: [], targetReason: targets.reason,
            targetDetail: targets.detail)
        var chosen = targets.targets
        if request.firstOnly { chosen = Array(chosen.prefix(1)) }
        for target in chosen {
            let (host, session) = await check(target, of: targets, request: request, policy: .audit)
            if let session { close(session) }
            report.hosts.append(host)
        }
        return report
    }

    // MARK: Connect

    /// Connects to the first host of the service that the policy accepts. With `require`, only a
    /// DANE-authenticated session is returned; `opportunistic` also returns an unauthenticated
    /// one when TLSA is securely absent or insecure (never when it is bogus or the lookup
    /// failed, DESIGN rule 4); `audit` returns any session that came up.
    public func connect(
        host: String, port: UInt16? = nil, protocol service: ServiceProtocol, policy: DANEPolicy,
        viaMX: Bool = false, viaSRV: Bool = false, connectAddress: SocketAddress? = nil
    ) async throws(UpstreamFailure) -> DANEConnection {
        let request = ServiceRequest(
            service: service, target: host, port: port, viaMX: viaMX, viaSRV: viaSRV, connectAddress: connectAddress)
        let targets = await resolveTargets(request)
        var lastFailure = UpstreamFailure(targets.reason ?? .upstreamUnreachable, targets.detail)
        for target in targets.targets {
            let (report, session) = await check(target, of: targets, request: request, policy: policy)
            guard let session else {
                lastFailure = UpstreamFailure(report.reason ?? .upstreamUnreachable, report.detail)
                continue
            }
            return DANEConnection(session: session, report: report, loop: loop)
        }
        throw lastFailure
    }

    // MARK: Steps

    func resolveTargets(_ request: ServiceRequest) async -> ServiceTargets {
        let defaultPort = request.port ?? request.service.defaultPort ?? 443
        guard let domain = try? Name(presentation: TLSAName.absolute(request.target)) else {
            return ServiceTargets(
                targets: [], reason: .tlsaLookupFailed, detail: "not a domain name: \(request.target)",
                serviceDomain: .root, status: nil)
        }
        if request.viaMX {
            return await ServiceTargets.mx(domain, port: request.port ?? 25, source: source)
        }
        if request.viaSRV {
            return await ServiceTargets.srv(
                domain, defaultPort: request.service.defaultPort ?? 5222, port: request.port, source: source)
        }
        return .fixed(domain, port: defaultPort)
    }

    /// Looks up, connects and judges one host. The session is returned when the policy accepts it.
    func check(
        _ target: ServiceTarget, of targets: ServiceTargets, request: ServiceRequest, policy: DANEPolicy
    ) async -> (HostReport, UpstreamSession?) {
        var report = HostReport(
            host: target.host.hostName, port: target.port, address: nil, tlsa: nil, records: [], tls: nil,
            match: nil, verdict: .fail, reason: nil, detail: "")
        let isAddressLiteral = target.host.hostName.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" }
        // Where to connect: the override, the literal, or every address, IPv4 first.
        var candidates: [SocketAddress] = request.connectAddress.map { [$0] } ?? []
        if candidates.isEmpty, isAddressLiteral, let literal = try? SocketAddress(host: target.host.hostName, port: target.port) {
            candidates = [literal]
        }
        var daneReason = targets.reason
        var daneDetail = targets.detail
        var expandedName: Name? = nil
        if !isAddressLiteral {
            let addresses = await HostAddresses.lookup(target.host, source: source)
            if request.connectAddress == nil {
                let ordered = addresses.addresses.filter { !$0.contains(":") } + addresses.addresses.filter { $0.contains(":") }
                candidates = ordered.compactMap { try? SocketAddress(host: $0, port: target.port) }
            }
            switch addresses.effect {
            case .secure:
                expandedName = addresses.expandedName
            case .insecure(let text) where targets.status != nil && daneReason == nil:
                // RFC 7672 §2.2.2, DESIGN rule 7: an MX or SRV host whose addresses are proven
                // insecure gets no DANE.
                daneReason = .tlsaInsecure
                daneDetail = text
            case .failure(let reason, let text) where targets.status != nil && daneReason == nil:
                // DESIGN rule 7: a bogus or failed address answer is a DNS failure (rule 4).
                daneReason = reason
                daneDetail = text
            case .insecure, .failure:
                break
            }
        }
        if daneReason == nil {
            let extra = targets.status != nil ? [targets.serviceDomain.hostName] : []
            let tlsa = await HostTLSALookup.lookup(
                host: target.host, port: target.port, service: request.service, expandedName: expandedName,
                extraReferenceIdentifiers: extra, source: source)
            report.tlsa = tlsa
            daneReason = tlsa.reason
            daneDetail = tlsa.detail
            report.records = RecordMatcher.results(usable: tlsa.usable, unusable: tlsa.unusable, chain: [ChainCertificate]())
        }
        guard let firstAddress = candidates.first else {
            report.reason = daneReason ?? .upstreamUnreachable
            report.detail = "no address for \(target.host.presentation)"
            return (report, nil)
        }
        report.address = firstAddress.description
        // Rule 4 (and 5 for `require`): refuse before connecting.
        if let daneReason, policy == .require
            || (policy == .opportunistic && daneReason.category == .dnsFailure)
        {
            report.reason = daneReason
            report.detail = daneDetail
            return (report, nil)
        }

        // SNI: the service domain for XMPP (RFC 7673), the host named in the URL for HTTPS
        // (DESIGN "Protocols": SNI and Host are the target host), else the TLSA base domain
        // (RFC 7672 §8.1).
        let sni: String
        switch request.service {
        case .xmpp: sni = targets.serviceDomain.hostName
        case .https: sni = target.host.hostName
        case .smtp, .irc, .tls: sni = report.tlsa?.baseDomain.hostName ?? target.host.hostName
        }
        var options = TLSClientOptions(
            serverName: isAddressLiteral ? nil : sni, enforcement: policy == .require ? .enforce : .reportOnly)
        if let tlsa = report.tlsa, daneReason == nil {
            options.dane = DANEParameters(
                baseDomain: tlsa.baseDomain.hostName, records: tlsa.usable.map(\.openSSLRecord), skipDANEEENameChecks: true)
            options.referenceIdentifiers = tlsa.referenceIdentifiers
        } else if !isAddressLiteral {
            options.referenceIdentifiers = [target.host.hostName]
        }
        var result = Result<UpstreamSession, UpstreamFailure>.failure(UpstreamFailure(.upstreamUnreachable, "not tried"))
        for address in candidates {
            report.address = address.description
            result = await handshake(with: address, service: request.service, serviceDomain: targets.serviceDomain, options: options)
            // Only an unreachable address sends us to the next one.
            guard case .failure(let failure) = result, failure.reason == .upstreamUnreachable else { break }
        }
        return judge(result, report: report, daneReason: daneReason, daneDetail: daneDetail, policy: policy)
    }

    /// The host's verdict from the handshake's outcome, and the session when the policy keeps it.
    private func judge(
        _ result: Result<UpstreamSession, UpstreamFailure>, report: HostReport, daneReason: DANEReason?,
        daneDetail: String, policy: DANEPolicy
    ) -> (HostReport, UpstreamSession?) {
        var report = report
        switch result {
        case .failure(let failure):
            if let verification = failure.verification { record(verification, into: &report) }
            // Without secure usable TLSA, that is the host's reason; the connection's failure
            // is detail.
            report.reason = daneReason ?? failure.reason
            report.detail = daneReason == nil ? failure.detail : "\(daneDetail); then \(failure)"
            return (report, nil)
        case .success(let session):
            record(session.verification, into: &report)
            if let daneReason {
                report.reason = daneReason
                report.detail = daneDetail + "; TLS up, PKIX: \(session.verification.verifyResultText)"
                // Opportunistic and audit connections go on unauthenticated.
                return (report, policy == .require ? nil : session)
            }
            let verification = session.verification
            if verification.verifyResult == 0, case .matched = verification.dane {
                report.verdict = .pass
                report.detail = "verified"
                return (report, session)
            }
            if case .noUsableRecords = verification.dane {
                report.reason = .tlsaUnusable
                report.detail = "OpenSSL found none of the TLSA records usable"
            } else {
                report.reason = verification.verifyResult == 62 ? .daneNameMismatch : .daneNoMatch
                report.detail = "DANE: \(verification.verifyResultText)"
            }
            // Rule 3: no fallback from a failed match, whatever the policy, except audit.
            if policy == .audit { return (report, session) }
            close(session)
            return (report, nil)
        }
    }

    /// Connects to one address, negotiates STARTTLS where the protocol has it, and shakes hands.
    private func handshake(
        with address: SocketAddress, service: ServiceProtocol, serviceDomain: Name, options: TLSClientOptions
    ) async -> Result<UpstreamSession, UpstreamFailure> {
        let negotiator = StartTLSNegotiators.make(service.startTLS, serviceDomain: serviceDomain.hostName, clientName: clientName)
        let context = service == .https ? contexts[1] : contexts[0]
        let handshake = UpstreamHandshake(
            loop: loop, address: address, negotiator: negotiator, context: context, options: options, timeout: timeout)
        return await withCheckedContinuation { continuation in
            let accepted = loop.execute { handshake.run { continuation.resume(returning: $0) } }
            if !accepted {
                continuation.resume(returning: .failure(UpstreamFailure(.upstreamUnreachable, "the connector is shut down")))
            }
        }
    }

    private func record(_ verification: TLSPeerVerification, into report: inout HostReport) {
        report.tls = HostReport.TLSDetails(
            version: verification.protocolVersion, cipher: verification.cipher, verifyResult: verification.verifyResult,
            verifyResultText: verification.verifyResultText, peerCertificateSHA256: verification.peerCertificateSHA256,
            peerSPKISHA256: verification.peerSPKISHA256)
        if case .matched(let match) = verification.dane { report.match = match }
        if let tlsa = report.tlsa {
            report.records = RecordMatcher.results(usable: tlsa.usable, unusable: tlsa.unusable, verification: verification)
        }
    }

    private func close(_ session: UpstreamSession) {
        let stream = session.stream
        _ = loop.execute { stream.close(nil) }
    }
}
