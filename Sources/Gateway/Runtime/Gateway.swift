import DANE
import EventLoop
import Foundation

/// The DNS-driven gateway (issue 11) on one event loop: the services listening there, each
/// client planned, dialed, verified and relayed on that loop, and one audit record per
/// connection to the sink. Loop thread only. Alone it serves a configuration (`start()`);
/// ``GatewayServer`` runs one per loop of a ``MultiLoopServer`` sharing the listening ports
/// (SO_REUSEPORT), the `max-connections` budgets and the lookup source, and changes the
/// services on a reload. `stop()` stops accepting while connections in progress go on (a drain).
public final class Gateway: @unchecked Sendable {
    public private(set) var configuration: GatewayConfiguration
    public let loop: EventLoop
    public private(set) var services: [GatewayService] = []
    /// Services a reload removed or replaced that still have connections in flight; the drain's
    /// deadline cuts them too.
    private var retired: [GatewayService] = []
    private let source: any SecureLookupSource
    private let contexts: UpstreamTLSContexts
    private let auditSink: any AuditSink
    private let observer: (any GatewayObserver)?
    private let metrics: GatewayMetrics?
    private let limits: GatewayLimits
    private let reusePort: Bool
    private let drainBudget: ConnectionBudget?
    private let idPrefix: String
    private var connectionCount: UInt64 = 0
    private var planningExecutor: PlanningExecutor?

    /// `idPrefix` starts every connection ID (default: random); `drainBudget` counts every
    /// connection for a drain.
    public init(
        configuration: GatewayConfiguration, loop: EventLoop, source: any SecureLookupSource,
        contexts: UpstreamTLSContexts, auditSink: any AuditSink, observer: (any GatewayObserver)? = nil,
        limits: GatewayLimits = GatewayLimits(), reusePort: Bool = false, idPrefix: String? = nil,
        drainBudget: ConnectionBudget? = nil, metrics: GatewayMetrics? = nil
    ) {
        self.configuration = configuration
        self.loop = loop
        self.source = metrics.map { MeteredLookupSource(source: source, metrics: $0) } ?? source
        self.metrics = metrics
        self.contexts = contexts
        self.auditSink = auditSink
        self.observer = observer
        self.limits = limits
        self.reusePort = reusePort
        self.idPrefix = idPrefix ?? String(UInt32.random(in: 0...UInt32.max), radix: 36)
        self.drainBudget = drainBudget
    }

    /// Binds every service's listener; on failure the ones already bound are closed.
    public func start() throws(EventLoopError) {
        loop.assertInLoopThread()
        for serviceConfiguration in configuration.services {
            do {
                _ = try addService(serviceConfiguration, at: nil, reusePort: reusePort, budget: nil)
            } catch {
                stop()
                throw error
            }
        }
    }

    /// Binds one more service on this loop at `address` (default: its `accept`), counted in
    /// `budget` (default: a budget of its own).
    @discardableResult
    func addService(
        _ serviceConfiguration: ServiceConfiguration, at address: SocketAddress?, reusePort: Bool,
        budget: ConnectionBudget?
    ) throws(EventLoopError) -> GatewayService {
        loop.assertInLoopThread()
        let service = GatewayService(
            configuration: serviceConfiguration, loop: loop, source: source, contexts: contexts, limits: limits,
            planningExecutor: try executor(), budget: budget, drainBudget: drainBudget, metrics: metrics,
            nextID: { [unowned self] in nextConnectionID() },
            report: { [unowned self] report in finished(report) })
        try service.start(at: address, reusePort: reusePort)
        services.append(service)
        return service
    }

    /// Closes the listener of `service`; its connections in flight go on.
    func remove(_ service: GatewayService) {
        loop.assertInLoopThread()
        services.removeAll { $0 === service }
        service.close()
        retired.removeAll { $0.activeConnections == 0 }
        if service.activeConnections > 0 { retired.append(service) }
    }

    /// Gives the service `name` a new configuration with the same `accept`.
    func updateService(_ serviceConfiguration: ServiceConfiguration, budget: ConnectionBudget) {
        loop.assertInLoopThread()
        service(serviceConfiguration.name)?.update(serviceConfiguration, budget: budget)
    }

    /// The configuration this loop now serves (after a reload).
    func adopt(_ configuration: GatewayConfiguration) {
        self.configuration = configuration
    }

    /// Stops accepting; connections in progress go on.
    public func stop() {
        for service in services { service.close() }
    }

    /// Closes every connection still open (the drain's deadline); each is recorded as cut.
    public func cutConnections() {
        for service in services + retired { service.cutConnections() }
        retired = []
    }

    /// The service named `name`.
    public func service(_ name: String) -> GatewayService? {
        services.first { $0.configuration.name == name }
    }

    private func executor() throws(EventLoopError) -> PlanningExecutor {
        if let planningExecutor { return planningExecutor }
        let executor = try PlanningExecutor()
        planningExecutor = executor
        return executor
    }

    private func nextConnectionID() -> String {
        connectionCount += 1
        return "\(idPrefix)-\(connectionCount)"
    }

    private func finished(_ report: GatewayConnectionReport) {
        auditSink.record(report.audit, policy: report.policy)
        metrics?.connectionFinished(report.audit)
        observer?.connectionFinished(report)
    }
}
