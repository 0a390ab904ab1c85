import DANE
import EventLoop
import Foundation
import TLS

/// One local client of a service, from accept to the audit record: it holds the client's
/// early bytes (rule 1), reads what the protocol needs (the XMPP stream header), plans the
/// upstream (DNS, TLSA, policy), dials it on this loop, and then either relays both ways or
/// gives the client the protocol's refusal. Touched only on its loop.
final class ClientConnection: @unchecked Sendable {
    enum Phase {
        case waitingForPrelude
        case planning
        case dialing
        case relaying
        case refusing
        case done
    }

    let id: String
    let clientAddress: String
    private let service: GatewayService
    private let client: HeldClientEnd
    private var frontEnd: any ClientFrontEnd
    private let startDate = Date()
    private let startMilliseconds: UInt64
    private var phase: Phase = .waitingForPrelude
    private var plan: UpstreamPlan?
    private var attempts: [HostAttempt] = []
    private var verdict: ConnectionVerdict?
    private var detail = ""
    private var greetingBytes = 0
    /// When dialing began (loop milliseconds), for the handshake histogram.
    private var dialStartMilliseconds: UInt64 = 0
    /// The client, not the upstream, ended it (a bad opening, or it left early): no DANE
    /// reason applies.
    private var clientFault = false
    private var deadline: LoopTimer?
    private var relay: Relay?
    /// Closed at the drain's deadline (`cutByDrain()`): the record keeps the verdict negotiated.
    private var cutByDrainDeadline = false

    private var loop: EventLoop { service.loop }
    /// The service's configuration when the client connected: a reload changes what new
    /// clients get, never a connection in flight.
    let configuration: ServiceConfiguration
    /// The `max-connections` budget this connection was counted in (a reload may give the
    /// service a new one; this connection is given back to the one it took).
    let budget: ConnectionBudget

    init(client: TCPStream, clientAddress: String, id: String, service: GatewayService) {
        self.id = id
        self.clientAddress = clientAddress
        self.service = service
        self.configuration = service.configuration
        self.budget = service.budget
        self.client = HeldClientEnd(stream: client, limit: service.limits.earlyBytes)
        self.startMilliseconds = client.loop.nowMilliseconds
        self.frontEnd = ClientFrontEnds.make(
            service.configuration.serviceProtocol, needsDomain: service.configuration.connect == .srvFromClient)
    }

    func start() {
        try? client.stream.setNoDelay(true)
        client.onHeldData = { [self] in examineEarlyBytes() }
        client.onHeldError = { [self] error in abandon("the client failed: \(error)") }
        client.hold()
        // One deadline for everything before the relay: the prelude, DNS, connect, handshake.
        let budget = configuration.connectTimeout + configuration.handshakeTimeout * 2
        if let timer = try? LoopTimer(loop: loop) {
            deadline = timer
            timer.start(after: budget) { [self] in
                refuse(.error(.timeout), "no verified upstream within \(budget)")
            }
        }
        if !frontEnd.needsPrelude { beginPlanning(domain: nil) }
    }

    // MARK: Before the upstream

    private func examineEarlyBytes() {
        let prelude = frontEnd.examine(client.held)
        guard phase == .waitingForPrelude else {
            if client.endOfStreamHeld, client.held.isEmpty { abandon("the client closed before the upstream was ready") }
            return
        }
        switch prelude {
        case .ready(let domain):
            beginPlanning(domain: domain)
        case .invalid(let text):
            refuseClient(text)
        case .needMore:
            if client.endOfStreamHeld {
                abandon("the client closed before naming a domain")
            } else if client.held.count >= client.limit {
                refuseClient("no stream header in \(client.limit) bytes")
            }
        }
    }

    private func beginPlanning(domain: String?) {
        phase = .planning
        let target: UpstreamTarget
        switch configuration.connect {
        case .host(let host, let port): target = .host(host, port: port)
        case .mx(let domain, let port): target = .mx(domain: domain, port: port)
        case .srv(let domain): target = .srv(domain: domain, port: nil)
        case .srvFromClient: target = .srv(domain: domain ?? "", port: nil)
        }
        let request = UpstreamRequest(
            service: configuration.serviceProtocol, target: target, policy: configuration.dane,
            serverName: configuration.sni, daneEENameChecks: configuration.daneEENameChecks)
        let source = service.source
        let loop = self.loop
        Task(executorPreference: service.planningExecutor) { [self] in
            let plan = await UpstreamPlanner.plan(request, source: source)
            _ = loop.execute { [self] in planned(plan) }
        }
    }

    private func planned(_ plan: UpstreamPlan) {
        guard phase == .planning else { return }
        self.plan = plan
        phase = .dialing
        dialStartMilliseconds = loop.nowMilliseconds
        let dialer = UpstreamDialer(
            loop: loop, plan: plan, contexts: service.contexts, clientName: configuration.helo,
            connectTimeout: configuration.connectTimeout, handshakeTimeout: configuration.handshakeTimeout)
        dialer.run { [self] result in dialed(result) }
    }

    private func dialed(_ result: UpstreamDialResult) {
        guard phase == .dialing else {
            result.session?.stream.close(nil)
            return
        }
        attempts = result.attempts
        if !attempts.isEmpty {
            service.metrics?.handshakeFinished(after: .milliseconds(loop.nowMilliseconds &- dialStartMilliseconds))
        }
        let verdict = result.verdict
        guard let session = result.session, verdict.allowsRelay else {
            result.session?.stream.close(nil)
            refuse(verdict, result.attempts.last?.report.detail ?? "no upstream")
            return
        }
        startRelay(session, verdict: verdict)
    }

    // MARK: Relay

    private func startRelay(_ session: UpstreamSession, verdict: ConnectionVerdict) {
        phase = .relaying
        self.verdict = verdict
        detail = attempts.last?.report.detail ?? ""
        cancelDeadline()
        // The SMTP greeting, held until now (DESIGN "Protocols").
        let greeting = frontEnd.greeting(for: session)
        if !greeting.isEmpty {
            greetingBytes = greeting.count
            greeting.withUnsafeBytes { client.write($0) }
        }
        if let report = attempts.last?.report {
            client.rewriter = frontEnd.makeRequestRewriter(targetHost: report.host, port: report.port)
        }
        let relay = Relay(
            client, session.stream, highWatermark: service.limits.relayHighWatermark,
            lowWatermark: service.limits.relayHighWatermark / 4, loop: loop, idleTimeout: configuration.idleTimeout,
            halfCloseTimeout: service.limits.halfCloseTimeout)
        self.relay = relay
        relay.start { [self] report in
            self.relay = nil
            if let error = report.error, !cutByDrainDeadline {
                detail = "relay ended: \(error)"
                // A deadline, or the upstream failing mid-stream (reset, killed, TLS error),
                // is the connection's error. A client that resets, or an upstream that drops
                // TCP without close_notify after the client has finished, keeps the DANE verdict.
                if error.code == -110 {  // ETIMEDOUT: the idle or half-close deadline
                    self.verdict = .error(.timeout)
                } else if !client.failedAfterRelease && !client.clientFinished {
                    self.verdict = .error(.upstreamUnreachable)
                }
            }
            finish(bytesUp: report.bytesFirstToSecond, bytesDown: report.bytesSecondToFirst + greetingBytes)
        }
    }

    // MARK: Endings

    /// The drain's deadline passed with this connection still open: a relay ends now with the
    /// bytes relayed so far and the verdict negotiated; a connection not yet relaying is
    /// refused as timed out. Either way the audit reason says the drain cut it.
    func cutByDrain() {
        guard phase != .done else { return }
        cutByDrainDeadline = true
        if let relay {
            relay.cancel(EventLoopError(code: -125, operation: "cut by the drain"))  // ECANCELED
        } else {
            refuse(.error(.timeout), "cut by the drain before the upstream was ready")
        }
    }

    /// The client's own opening was unusable (an XMPP stream without a domain): no upstream
    /// was tried; the audit says `error` with no DANE reason.
    private func refuseClient(_ detail: String) {
        clientFault = true
        refuse(.error(.upstreamUnreachable), detail, reasonText: "bad-client-stream")
    }

    /// Gives the client the protocol's refusal, lets it read it, then closes.
    func refuse(_ verdict: ConnectionVerdict, _ detail: String, reasonText: String? = nil) {
        guard phase != .relaying, phase != .refusing, phase != .done else { return }
        phase = .refusing
        self.verdict = verdict
        self.detail = detail
        cancelDeadline()
        let text = reasonText ?? verdict.reason?.rawValue ?? "refused"
        let refusal = frontEnd.refusal(text)
        let stream = client.stream
        stream.onEvent = { event in
            if case .data = event { return }  // discarded: nothing goes upstream
            stream.close()
        }
        if !refusal.isEmpty { refusal.withUnsafeBytes { stream.write($0) } }
        stream.shutdownWrite { _ in }
        stream.startReading()
        // Linger so the client reads the refusal rather than a reset; then close for good.
        if let timer = try? LoopTimer(loop: loop) {
            timer.start(after: service.limits.refusalLinger) { [timer] in
                stream.close()
                timer.close()
            }
        } else {
            stream.close()
        }
        finish(bytesUp: 0, bytesDown: 0)
    }

    /// The client went away before the upstream was ready.
    private func abandon(_ detail: String) {
        guard phase != .relaying, phase != .refusing, phase != .done else { return }
        phase = .refusing
        // The client left: an error of the connection, with no DANE reason.
        clientFault = true
        verdict = verdict ?? .error(.upstreamUnreachable)
        self.detail = detail
        cancelDeadline()
        client.close(nil)
        finish(bytesUp: 0, bytesDown: 0)
    }

    private func cancelDeadline() {
        deadline?.close()
        deadline = nil
    }

    private func finish(bytesUp: Int, bytesDown: Int) {
        guard phase != .done else { return }
        phase = .done
        var record = AuditRecord(
            time: AuditRecord.timestamp(startDate), id: id, service: configuration.name, client: clientAddress,
            protocol: configuration.serviceProtocol == .https ? "http" : configuration.serviceProtocol.rawValue,
            verdict: .error, bytesUp: bytesUp, bytesDown: bytesDown,
            durationMs: Int(loop.nowMilliseconds &- startMilliseconds))
        if let last = attempts.last {
            let planned = plan?.hosts.first { $0.host.hostName == last.report.host && $0.port == last.report.port }
            record.describe(last, planned: planned, plan: plan)
        }
        let final = verdict ?? .error(.upstreamUnreachable)
        record.verdict = AuditVerdict(rawValue: final.name) ?? .error
        record.reason = clientFault ? nil : final.reason.map(AuditReason.dane)
        if cutByDrainDeadline { record.reason = .drainDeadline }
        service.finished(
            self,
            report: GatewayConnectionReport(
                audit: record, policy: configuration.dane, attempts: attempts, verdict: final, detail: detail,
                peakEarlyBytes: client.peakHeld))
    }
}
