import BuildInfo
import DANE
import EventLoop
import Foundation
import Gateway
import Logging

/// `danegate --config FILE`: the gateway in the foreground, logging to stderr.
enum GatewayEntry {
    /// Reads and checks the configuration file; every problem is in the error.
    static func load(_ path: String) throws(ConfigurationError) -> GatewayConfiguration {
        try GatewayConfiguration.load(path: path)
    }

    /// Runs `configuration` until the process is killed: one Postfix-style line per connection
    /// on stderr through swift-log, one JSON line per connection in `audit-log`, which SIGUSR1
    /// reopens (after logrotate moved it).
    static func run(_ configuration: GatewayConfiguration) throws -> Never {
        GatewayLogging.bootstrap(level: configuration.global.logLevel)
        let logger = Logger(label: "danegate")
        let auditLog = try configuration.global.auditLog.map { path throws(EventLoopError) in try AuditLog(path: path) }
        let dns = try GatewayLookupSource(configuration.global)
        let contexts = try UpstreamTLSContexts()
        let loop = try EventLoop()
        let metrics = configuration.global.metrics.map { _ in GatewayMetrics(version: BuildInfo.version) }
        metrics?.countTLSALookups(of: dns.resolver.cache)
        let gateway = Gateway(
            configuration: configuration, loop: loop, source: dns.source, contexts: contexts,
            auditSink: auditLog ?? NoAuditLog(), observer: LogLineObserver(logger: logger), metrics: metrics)
        // A blocked signal mask survives exec, and some parents hand one down (Foundation's
        // Process does); a blocked SIGUSR1 would stay pending forever and logrotate's reopen
        // never happen. Unblock it on this thread, which runs the loop.
        var usr1 = sigset_t()
        sigemptyset(&usr1)
        sigaddset(&usr1, SIGUSR1)
        pthread_sigmask(SIG_UNBLOCK, &usr1, nil)
        let reopen = try SignalWatcher(loop: loop, signal: SIGUSR1) {
            guard let auditLog else { return }
            do {
                try auditLog.reopen()
            } catch {
                logger.error("cannot reopen the audit log \(auditLog.path): \(error); still writing to the old file")
            }
        }
        let endpoint = try metrics.map { metrics throws(EventLoopError) in try startMetrics(metrics, configuration, loop) }
        try gateway.start()
        for service in gateway.services {
            if let address = service.localAddress {
                print("LISTEN \(service.configuration.name) \(address)")
            }
        }
        fflush(nil)  // tests wait for these lines on a pipe
        loop.run()
        withExtendedLifetime((reopen, endpoint)) {}
        exit(0)
    }

    /// `metrics = ADDR:PORT`: `/metrics` and `/healthz` on the gateway's loop.
    private static func startMetrics(
        _ metrics: GatewayMetrics, _ configuration: GatewayConfiguration, _ loop: EventLoop
    ) throws(EventLoopError) -> MetricsEndpoint? {
        guard let address = configuration.global.metrics else { return nil }
        let endpoint = MetricsEndpoint(loop: loop, metrics: metrics)
        try endpoint.start(address: address)
        if let bound = endpoint.localAddress { print("METRICS \(bound)") }
        return endpoint
    }
}

/// The human line of each finished connection, through swift-log.
struct LogLineObserver: GatewayObserver {
    let logger: Logger

    func connectionFinished(_ report: GatewayConnectionReport) {
        logger.logConnection(report)
    }
}

/// No `audit-log` configured: records go nowhere (the log lines still say what happened).
struct NoAuditLog: AuditSink {
    func record(_ record: AuditRecord, policy: DANEPolicy) {}
}
