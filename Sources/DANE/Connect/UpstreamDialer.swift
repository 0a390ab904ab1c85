import DNSWire
import EventLoop
import TLS

/// One host tried, with its verdict.
public struct HostAttempt: Sendable {
    public var report: HostReport
    public var verdict: ConnectionVerdict
}

/// What dialing a plan gave: every host tried in order, and the session when one came up that
/// the policy accepts (the last attempt's).
public struct UpstreamDialResult: @unchecked Sendable {
    public var attempts: [HostAttempt]
    public var session: UpstreamSession?

    /// The verdict of the connection: the chosen host's, or the last failure's.
    public var verdict: ConnectionVerdict {
        attempts.last?.verdict ?? .error(.upstreamUnreachable)
    }
}

/// Carries out an ``UpstreamPlan`` on one event loop (touched only on that loop's thread): for each host in preference order, Happy
/// Eyeballs over its addresses, then ``UpstreamHandshake``, then the policy's verdict (DESIGN
/// rules 3, 5, 9). A host that fails in a way that lets another be tried (unreachable, a
/// handshake failure, no match) sends it on to the next, as Postfix does with MX hosts.
public final class UpstreamDialer: @unchecked Sendable {
    /// Called once on the loop with every host tried and the session, if one was accepted.
    public typealias Completion = (UpstreamDialResult) -> Void

    private let loop: EventLoop
    private let plan: UpstreamPlan
    private let contexts: UpstreamTLSContexts
    private let clientName: String
    private let connectTimeout: Duration
    private let handshakeTimeout: Duration
    /// False for the probe: every host with an address is connected to, whatever the policy.
    private let honourRefusals: Bool
    private var hostIndices: [Int]
    private var result = UpstreamDialResult(attempts: [], session: nil)
    private var completion: Completion?

    /// `hosts` limits the dial to these indices of `plan.hosts` (the probe dials one at a time).
    public init(
        loop: EventLoop, plan: UpstreamPlan, contexts: UpstreamTLSContexts, clientName: String = "danegate.invalid",
        connectTimeout: Duration = .seconds(10), handshakeTimeout: Duration = .seconds(30),
        honourRefusals: Bool = true, hosts: [Int]? = nil
    ) {
        self.loop = loop
        self.plan = plan
        self.contexts = contexts
        self.clientName = clientName
        self.connectTimeout = connectTimeout
        self.handshakeTimeout = handshakeTimeout
        self.honourRefusals = honourRefusals
        self.hostIndices = hosts ?? Array(plan.hosts.indices)
    }

    /// Failures after which the next MX or SRV host is tried (RFC 7672 §2.2.3 and Postfix:
    /// a host that cannot be reached or authenticated is skipped, never downgraded).
    public static func allowsNextHost(_ reason: DANEReason) -> Bool {
        switch reason {
        case .upstreamUnreachable, .timeout, .tlsHandshakeFailed, .daneNoMatch, .daneNameMismatch: true
        default: false
        }
    }

    /// Starts; `completion` runs once on the loop. Call on the loop's thread.
    public func run(_ completion: @escaping Completion) {
        loop.assertInLoopThread()
        self.completion = completion
        if plan.hosts.isEmpty {
            let failure = plan.refusal ?? UpstreamFailure(.upstreamUnreachable, "no host")
            var report = HostReport(
                host: plan.request.target.name, port: 0, records: [], verdict: .fail, detail: failure.detail)
            report.reason = failure.reason
            result.attempts.append(HostAttempt(report: report, verdict: .failure(failure.reason)))
            finish()
            return
        }
        tryNextHost()
    }

    private func tryNextHost() {
        guard !hostIndices.isEmpty else {
            finish()
            return
        }
        let host = plan.hosts[hostIndices.removeFirst()]
        var report = HostReport(
            host: host.host.hostName, port: host.port, address: host.addresses.first?.description, tlsa: host.tlsa,
            records: [], tls: nil, match: nil, verdict: .fail, reason: nil, detail: "")
        if let tlsa = host.tlsa {
            report.records = RecordMatcher.results(usable: tlsa.usable, unusable: tlsa.unusable, chain: [ChainCertificate]())
        }
        if let refusal = host.refusal, honourRefusals || host.addresses.isEmpty {
            // Refused from DNS alone: nothing was connected to, so no address (the audit's
            // `address` is the upstream connected).
            report.address = nil
            report.reason = refusal.reason
            report.detail = refusal.detail
            // A DNS failure (bogus, failed or timed-out lookup) is a refusal (rule 4), even when
            // its reason is a timeout; only "no address at all" is an error.
            let verdict: ConnectionVerdict =
                refusal.reason.category == .dnsFailure ? .refused(refusal.reason) : .failure(refusal.reason)
            record(HostAttempt(report: report, verdict: verdict))
            return
        }
        HappyEyeballs.connect(loop: loop, to: host.addresses, timeout: connectTimeout) { [self] outcome in
            switch outcome {
            case .failure(let failure):
                let reason: DANEReason = failure.timedOut ? .timeout : .upstreamUnreachable
                judge(.failure(UpstreamFailure(reason, "connect: \(failure)")), host: host, report: report)
            case .success(let (transport, address)):
                report.address = address.description
                let negotiator = StartTLSNegotiators.make(
                    plan.request.service.startTLS, serviceDomain: plan.serviceDomain.hostName, clientName: clientName)
                let handshake = UpstreamHandshake(
                    transport: transport, address: address, negotiator: negotiator,
                    context: contexts.context(for: plan.request.service), options: host.tlsOptions,
                    timeout: handshakeTimeout)
                handshake.run { [self] outcome in judge(outcome, host: host, report: report) }
            }
        }
    }

    private func record(_ attempt: HostAttempt, session: UpstreamSession? = nil) {
        result.attempts.append(attempt)
        if let session {
            result.session = session
            finish()
        } else if let reason = attempt.verdict.reason, Self.allowsNextHost(reason) || !honourRefusals {
            tryNextHost()
        } else {
            finish()
        }
    }

    /// The host's verdict from the handshake's outcome; the session is kept when the policy
    /// lets it on (or always in report-only dials, whose caller closes it).
    private func judge(_ outcome: Result<UpstreamSession, UpstreamFailure>, host: PlannedHost, report: HostReport) {
        var report = report
        let policy = plan.request.policy
        switch outcome {
        case .failure(let failure):
            if let verification = failure.verification { Self.record(verification, into: &report) }
            // Without secure usable TLSA, that is the host's reason; the connection's failure
            // is detail.
            report.reason = host.daneReason ?? failure.reason
            report.detail = host.daneReason == nil ? failure.detail : "\(host.daneDetail); then \(failure)"
            record(HostAttempt(report: report, verdict: .failure(failure.reason)))
        case .success(let session):
            Self.record(session.verification, into: &report)
            let reportOnly = plan.request.reportOnly
            if let daneReason = host.daneReason {
                report.reason = daneReason
                report.detail = host.daneDetail + "; TLS up, PKIX: \(session.verification.verifyResultText)"
                // Opportunistic and audit connections go on unauthenticated.
                if policy == .require && !reportOnly {
                    close(session)
                    record(HostAttempt(report: report, verdict: .refused(daneReason)))
                } else {
                    record(HostAttempt(report: report, verdict: .unauthenticated(daneReason)), session: session)
                }
                return
            }
            let verification = session.verification
            if verification.certificateVerifyResult == .ok, case .matched = verification.dane {
                report.verdict = .pass
                report.detail = "verified"
                record(HostAttempt(report: report, verdict: .verified), session: session)
                return
            }
            let reason: DANEReason
            if case .noUsableRecords = verification.dane {
                reason = .tlsaUnusable
                report.detail = "OpenSSL found none of the TLSA records usable"
            } else {
                reason = verification.certificateVerifyResult == .hostnameMismatch ? .daneNameMismatch : .daneNoMatch
                report.detail = "DANE: \(verification.verifyResultText)"
            }
            report.reason = reason
            // Rule 3: no fallback from a failed match, whatever the policy, except audit.
            if policy == .audit || reportOnly {
                record(HostAttempt(report: report, verdict: .unauthenticated(reason)), session: session)
            } else {
                close(session)
                record(HostAttempt(report: report, verdict: .refused(reason)))
            }
        }
    }

    static func record(_ verification: TLSPeerVerification, into report: inout HostReport) {
        report.tls = HostReport.TLSDetails(
            version: verification.protocolVersion, cipher: verification.cipher, verifyResult: verification.verifyResult,
            verifyResultText: verification.verifyResultText, peerCertificateSHA256: verification.peerCertificateSHA256,
            peerSPKISHA256: verification.peerSPKISHA256)
        if let leaf = verification.peerChain.first, let certificate = try? X509Certificate(der: leaf.der) {
            report.tls?.peerSubject = certificate.subjectText
            report.tls?.peerNotAfter = certificate.notAfterText
        }
        if case .matched(let match) = verification.dane { report.match = match }
        if let tlsa = report.tlsa {
            report.records = RecordMatcher.results(usable: tlsa.usable, unusable: tlsa.unusable, verification: verification)
        }
    }

    private func close(_ session: UpstreamSession) {
        session.stream.close(nil)
    }

    private func finish() {
        guard let completion else { return }
        self.completion = nil
        completion(result)
    }
}
