import DANE
import EventLoop

/// One configured service on one loop: its listener, who may connect, how many at once, and
/// its live connections.
public final class GatewayService: @unchecked Sendable {
    public let configuration: ServiceConfiguration
    let loop: EventLoop
    let source: any SecureLookupSource
    let contexts: UpstreamTLSContexts
    let limits: GatewayLimits
    let planningExecutor: any TaskExecutor
    let metrics: GatewayMetrics?
    private let admission: ClientAdmission
    private let report: (GatewayConnectionReport) -> Void
    private let nextID: () -> String
    private var listener: TCPListener?
    private var connections: [ObjectIdentifier: ClientConnection] = [:]

    init(
        configuration: ServiceConfiguration, loop: EventLoop, source: any SecureLookupSource,
        contexts: UpstreamTLSContexts, limits: GatewayLimits, planningExecutor: any TaskExecutor,
        metrics: GatewayMetrics? = nil, nextID: @escaping () -> String,
        report: @escaping (GatewayConnectionReport) -> Void
    ) {
        self.configuration = configuration
        self.loop = loop
        self.source = source
        self.contexts = contexts
        self.limits = limits
        self.planningExecutor = planningExecutor
        self.metrics = metrics
        self.nextID = nextID
        self.report = report
        admission = ClientAdmission(allow: configuration.allow, accept: configuration.accept)
    }

    /// The address clients connect to (the real port when `accept` asked for port 0).
    public var localAddress: SocketAddress? { listener?.localAddress }

    /// Connections in progress.
    public var activeConnections: Int { connections.count }

    func start(reusePort: Bool) throws(EventLoopError) {
        listener = try TCPListener(loop: loop, address: configuration.accept, reusePort: reusePort) { [weak self] client in
            self?.accepted(client)
        }
    }

    func close() {
        listener?.close()
        listener = nil
    }

    private func accepted(_ client: TCPStream) {
        let peer = try? client.peerAddress()
        let clientText = peer?.description ?? "unknown"
        guard let peer, admission.admits(peer) else {
            refuseNotAllowed(client, clientText)
            return
        }
        let connection = ClientConnection(client: client, clientAddress: clientText, id: nextID(), service: self)
        connections[ObjectIdentifier(connection)] = connection
        metrics?.connectionOpened(service: configuration.name)
        // The budget is taken before the next accept (the kernel's backlog holds the rest).
        if connections.count >= configuration.maxConnections { listener?.pauseAccepting() }
        connection.start()
    }

    private func refuseNotAllowed(_ client: TCPStream, _ clientText: String) {
        client.close()
        let record = AuditRecord(
            time: AuditRecord.timestamp(.now), id: nextID(), service: configuration.name, client: clientText,
            protocol: configuration.serviceProtocol == .https ? "http" : configuration.serviceProtocol.rawValue,
            verdict: .refused, reason: .clientNotAllowed)
        report(
            GatewayConnectionReport(
                audit: record, policy: configuration.dane, attempts: [], verdict: nil,
                detail: "\(clientText) is not in allow", peakEarlyBytes: 0))
    }

    func finished(_ connection: ClientConnection, report: GatewayConnectionReport) {
        connections[ObjectIdentifier(connection)] = nil
        metrics?.connectionClosed(service: configuration.name)
        if let listener, !listener.isAccepting, connections.count < configuration.maxConnections {
            try? listener.resumeAccepting()
        }
        self.report(report)
    }
}
