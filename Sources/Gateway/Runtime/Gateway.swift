import DANE
import EventLoop
import Foundation

/// The DNS-driven gateway (issue 11): every service of a configuration listening on one event
/// loop, each client planned, dialed, verified and relayed on that loop, and one audit record
/// per connection to the sink. Start and stop on the loop's thread. Several gateways on several
/// loops can share the listening ports (`reusePort`, SO_REUSEPORT); `stop()` stops accepting
/// while connections in progress go on (a drain).
public final class Gateway: @unchecked Sendable {
    public let configuration: GatewayConfiguration
    public let loop: EventLoop
    public private(set) var services: [GatewayService] = []
    private let source: any SecureLookupSource
    private let contexts: UpstreamTLSContexts
    private let auditSink: any AuditSink
    private let observer: (any GatewayObserver)?
    private let metrics: GatewayMetrics?
    private let limits: GatewayLimits
    private let reusePort: Bool
    private let idPrefix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
    private var connectionCount: UInt64 = 0
    private var planningExecutor: PlanningExecutor?

    public init(
        configuration: GatewayConfiguration, loop: EventLoop, source: any SecureLookupSource,
        contexts: UpstreamTLSContexts, auditSink: any AuditSink, observer: (any GatewayObserver)? = nil,
        limits: GatewayLimits = GatewayLimits(), reusePort: Bool = false, metrics: GatewayMetrics? = nil
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
    }

    /// Binds every service's listener; on failure the ones already bound are closed.
    public func start() throws(EventLoopError) {
        loop.assertInLoopThread()
        let executor: PlanningExecutor
        if let planningExecutor {
            executor = planningExecutor
        } else {
            executor = try PlanningExecutor()
            planningExecutor = executor
        }
        for serviceConfiguration in configuration.services {
            let service = GatewayService(
                configuration: serviceConfiguration, loop: loop, source: source, contexts: contexts, limits: limits,
                planningExecutor: executor, metrics: metrics,
                nextID: { [unowned self] in nextConnectionID() },
                report: { [unowned self] report in finished(report) })
            do {
                try service.start(reusePort: reusePort)
            } catch {
                stop()
                throw error
            }
            services.append(service)
        }
    }

    /// Stops accepting; connections in progress go on.
    public func stop() {
        for service in services { service.close() }
    }

    /// The service named `name`.
    public func service(_ name: String) -> GatewayService? {
        services.first { $0.configuration.name == name }
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
