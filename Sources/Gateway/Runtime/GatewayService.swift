import DANE
import EventLoop

/// One configured service on one loop: its listener, who may connect, how many at once, and
/// its live connections. A reload may give it a new configuration (``update(_:budget:)``):
/// clients accepted from then on get the new one, connections in flight keep theirs.
public final class GatewayService: @unchecked Sendable {
    public private(set) var configuration: ServiceConfiguration
    let loop: EventLoop
    let source: any SecureLookupSource
    let contexts: UpstreamTLSContexts
    let limits: GatewayLimits
    let planningExecutor: any TaskExecutor
    /// `max-connections`, counted before accept(2) and shared by this service on every loop.
    private(set) var budget: ConnectionBudget
    /// Every connection of the process, for the drain (`MultiLoopServer.connectionBudget`).
    private let drainBudget: ConnectionBudget?
    let metrics: GatewayMetrics?
    private var admission: ClientAdmission
    private let report: (GatewayConnectionReport) -> Void
    private let nextID: () -> String
    private var listener: TCPListener?
    private var connections: [ObjectIdentifier: ClientConnection] = [:]

    init(
        configuration: ServiceConfiguration, loop: EventLoop, source: any SecureLookupSource,
        contexts: UpstreamTLSContexts, limits: GatewayLimits, planningExecutor: any TaskExecutor,
        budget: ConnectionBudget? = nil, drainBudget: ConnectionBudget? = nil, metrics: GatewayMetrics? = nil,
        nextID: @escaping () -> String,
        report: @escaping (GatewayConnectionReport) -> Void
    ) {
        self.configuration = configuration
        self.loop = loop
        self.source = source
        self.contexts = contexts
        self.limits = limits
        self.planningExecutor = planningExecutor
        self.budget = budget ?? ConnectionBudget(limit: configuration.maxConnections)
        self.drainBudget = drainBudget
        self.metrics = metrics
        self.nextID = nextID
        self.report = report
        admission = ClientAdmission(allow: configuration.allow, accept: configuration.accept)
    }

    /// The address clients connect to (the real port when `accept` asked for port 0).
    public var localAddress: SocketAddress? { listener?.localAddress }

    /// Connections in progress.
    public var activeConnections: Int { connections.count }

    /// True while the listener is open.
    var isListening: Bool { listener != nil }

    /// Binds `address` (the configured `accept`, or the port another loop already bound).
    func start(at address: SocketAddress? = nil, reusePort: Bool) throws(EventLoopError) {
        let listener = try TCPListener(loop: loop, address: address ?? configuration.accept, reusePort: reusePort) {
            [weak self] client in
            self?.accepted(client)
        }
        // The budget is taken before accept(2): at the limit the next client waits in the
        // kernel's backlog and is accepted when a connection ends (on whichever loop).
        listener.connectionBudget = budget
        self.listener = listener
    }

    /// A reload changed this service but not its `accept`: new clients get `configuration`.
    func update(_ configuration: ServiceConfiguration, budget: ConnectionBudget) {
        self.configuration = configuration
        admission = ClientAdmission(allow: configuration.allow, accept: configuration.accept)
        self.budget = budget
        listener?.connectionBudget = budget
    }

    func close() {
        listener?.close()
        listener = nil
    }

    /// The drain's deadline: every connection still open is closed and recorded.
    func cutConnections() {
        for connection in Array(connections.values) { connection.cutByDrain() }
    }

    private func accepted(_ client: TCPStream) {
        _ = drainBudget?.take()
        let peer = try? client.peerAddress()
        let clientText = peer?.description ?? "unknown"
        guard let peer, admission.admits(peer) else {
            refuseNotAllowed(client, clientText)
            budget.give()
            drainBudget?.give()
            return
        }
        let connection = ClientConnection(client: client, clientAddress: clientText, id: nextID(), service: self)
        connections[ObjectIdentifier(connection)] = connection
        metrics?.connectionOpened(service: configuration.name)
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
        self.report(report)
        connection.budget.give()
        drainBudget?.give()
    }
}
