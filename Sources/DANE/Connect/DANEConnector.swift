import DNSWire
import EventLoop
import TLS

/// What `dane probe` checks.
public struct ServiceRequest: Sendable {
    public var service: ServiceProtocol
    public var target: UpstreamTarget
    /// Where to connect instead of the hosts' addresses; names, ports and TLSA stay as DNS says.
    public var connectAddress: SocketAddress?
    /// Only the most preferred host.
    public var firstOnly: Bool

    public init(service: ServiceProtocol, target: UpstreamTarget, connectAddress: SocketAddress? = nil, firstOnly: Bool = false) {
        self.service = service
        self.target = target
        self.connectAddress = connectAddress
        self.firstOnly = firstOnly
    }
}

/// DANE-verified client connections for tools and library users that have no loop of their
/// own: the plan (``UpstreamPlanner``), then the dial (``UpstreamDialer``) on one event loop
/// thread the connector owns. The gateway uses the two halves directly, on its clients' loops.
public final class DANEConnector: Sendable {
    public let source: any SecureLookupSource
    public let trustRoots: TLSConfiguration.TrustRoots
    /// The deadline for connecting, and again for STARTTLS and the handshake, per host.
    public let timeout: Duration
    /// The name we give in SMTP EHLO.
    public let clientName: String
    private let thread: EventLoopThread
    private let contexts: UpstreamTLSContexts

    public init(
        source: any SecureLookupSource, trustRoots: TLSConfiguration.TrustRoots = .system,
        timeout: Duration = .seconds(20), clientName: String = "danegate.invalid"
    ) throws {
        self.source = source
        self.trustRoots = trustRoots
        self.timeout = timeout
        self.clientName = clientName
        thread = try EventLoopThread()
        contexts = try UpstreamTLSContexts(trustRoots: trustRoots)
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
        let plan = await UpstreamPlanner.plan(
            UpstreamRequest(
                service: request.service, target: request.target, policy: .audit,
                connectAddress: request.connectAddress, reportOnly: true),
            source: source)
        var report = ProbeReport(
            service: request.service, target: request.target.name, hosts: [], targetReason: plan.targetReason,
            targetDetail: plan.targetDetail)
        let indices = request.firstOnly ? Array(plan.hosts.indices.prefix(1)) : Array(plan.hosts.indices)
        for index in indices {
            let result = await dial(plan, honourRefusals: false, hosts: [index])
            if let session = result.session { close(session) }
            report.hosts.append(contentsOf: result.attempts.map(\.report))
        }
        return report
    }

    // MARK: Connect

    /// Connects to the first host of the service that the policy accepts. With `require`, only a
    /// DANE-authenticated session is returned; `opportunistic` also returns an unauthenticated
    /// one when TLSA is securely absent or insecure (never when it is bogus or the lookup
    /// failed, DESIGN rule 4); `audit` returns any session that came up.
    public func connect(
        _ target: UpstreamTarget, protocol service: ServiceProtocol, policy: DANEPolicy,
        connectAddress: SocketAddress? = nil
    ) async throws(UpstreamFailure) -> DANEConnection {
        let plan = await UpstreamPlanner.plan(
            UpstreamRequest(service: service, target: target, policy: policy, connectAddress: connectAddress),
            source: source)
        let result = await dial(plan, honourRefusals: true, hosts: nil)
        guard let session = result.session, let chosen = result.attempts.last else {
            let last = result.attempts.last
            throw UpstreamFailure(last?.verdict.reason ?? .upstreamUnreachable, last?.report.detail ?? "no host")
        }
        return DANEConnection(session: session, report: chosen.report, loop: loop)
    }

    private func dial(_ plan: UpstreamPlan, honourRefusals: Bool, hosts: [Int]?) async -> UpstreamDialResult {
        let dialer = UpstreamDialer(
            loop: loop, plan: plan, contexts: contexts, clientName: clientName, connectTimeout: timeout / 2,
            handshakeTimeout: timeout, honourRefusals: honourRefusals, hosts: hosts)
        return await withCheckedContinuation { continuation in
            let accepted = loop.execute { dialer.run { continuation.resume(returning: $0) } }
            if !accepted {
                continuation.resume(returning: UpstreamDialResult(attempts: [], session: nil))
            }
        }
    }

    private func close(_ session: UpstreamSession) {
        let stream = session.stream
        _ = loop.execute { stream.close(nil) }
    }
}
