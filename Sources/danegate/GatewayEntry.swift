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

    /// Runs `configuration` (read from `path`) on `workers` loops until SIGTERM or SIGINT has
    /// drained it: one Postfix-style line per connection on stderr through swift-log, one JSON
    /// line per connection in `audit-log`. SIGHUP reloads `path`; SIGUSR1 reopens the audit log
    /// (after logrotate moved it); systemd hears each step through `NOTIFY_SOCKET`.
    static func run(_ configuration: GatewayConfiguration, path: String) throws -> Never {
        GatewayLogging.bootstrap(level: configuration.global.logLevel)
        // A blocked signal mask survives exec, and some parents hand one down (Foundation's
        // Process does); blocked, SIGHUP, SIGTERM or SIGUSR1 would stay pending forever. Unblock
        // them here, before any thread exists to inherit the mask.
        var lifecycleSignals = sigset_t()
        sigemptyset(&lifecycleSignals)
        for signal in [SIGHUP, SIGTERM, SIGINT, SIGUSR1] { sigaddset(&lifecycleSignals, signal) }
        pthread_sigmask(SIG_UNBLOCK, &lifecycleSignals, nil)
        // Before any descriptor can run out (see DispatchWarmUp); main is not a pool thread.
        DispatchWarmUp.startGlobalExecutorWorker()
        let logger = Logger(label: "danegate")
        let auditLog = try configuration.global.auditLog.map { path throws(EventLoopError) in try AuditLog(path: path) }
        let dns = try GatewayLookupSource(configuration.global)
        // One cache for every loop: an answer fetched on one serves all, and a lookup in
        // flight is not asked twice.
        let cache = SharedLookupCache(dns.source)
        let contexts = try UpstreamTLSContexts()
        let workers = configuration.global.workers ?? MultiLoopServer.defaultWorkerCount()
        // The runtime's budget only counts (for the drain); each service has its own limit.
        let runtime = try MultiLoopServer(workers: workers)
        let metrics = configuration.global.metrics.map { _ in GatewayMetrics(version: BuildInfo.version) }
        // Every loop's lookups go through the shared cache: its TLSA counts are the metrics'.
        metrics?.countTLSALookups {
            let counts = cache.statistics
            return (Int(counts.tlsaHits), Int(counts.tlsaMisses))
        }
        let server = GatewayServer(
            configuration: configuration, runtime: runtime, source: cache, contexts: contexts,
            auditSink: auditLog ?? NoAuditLog(), observer: LogLineObserver(logger: logger), metrics: metrics)
        // The metrics endpoint runs on the first loop (opened there: libuv handles belong to
        // their loop's thread) and stays up through the drain.
        let endpoint = try metrics.map { metrics throws(EventLoopError) in
            try runtime.onEveryLoop { index, loop throws(EventLoopError) -> MetricsEndpoint? in
                index == 0 ? try startMetrics(metrics, configuration, loop) : nil
            }
        }
        try server.start()
        for (service, address) in server.listeningAddresses {
            print("LISTEN \(service) \(address)")
        }
        fflush(nil)  // tests wait for these lines on a pipe
        logger.info("serving \(configuration.services.count) services on \(workers) loop\(workers == 1 ? "" : "s")")
        try runtime.run(
            ServerLifecycle(
                drainTimeout: configuration.global.drainTimeout,
                reload: {
                    switch server.reload(fromFile: path) {
                    case .success(let changes):
                        logger.info("reloaded \(path): \(changes.summary)")
                        if !changes.needRestart.isEmpty {
                            logger.warning("changed \(changes.needRestart.joined(separator: ", ")): takes effect at restart")
                        }
                        for (service, address) in server.listeningAddresses where changes.added.contains(service) {
                            logger.info("service \(service) listening on \(address)")
                        }
                    case .failure(let failure):
                        logger.error("reload of \(path) failed, still serving the previous configuration: \(failure)")
                    }
                },
                userSignal: {
                    guard let auditLog else { return }
                    do {
                        try auditLog.reopen()
                    } catch {
                        logger.error("cannot reopen the audit log \(auditLog.path): \(error); still writing to the old file")
                    }
                },
                stopAccepting: {
                    logger.info("stopping: no new connections, draining for up to \(configuration.global.drainTimeout)")
                    server.stopAccepting()
                },
                closeRemaining: { server.closeRemaining() }))
        withExtendedLifetime(endpoint) {}
        let counts = cache.statistics
        logger.info(
            "stopped; TLSA cache: \(counts.hits) hits, \(counts.misses) misses (\(counts.coalesced) joined a lookup in flight), \(counts.prefetches) prefetches"
        )
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

/// The human line of each finished connection, through swift-log, and a second line for a
/// connection the drain's deadline cut.
struct LogLineObserver: GatewayObserver {
    let logger: Logger

    func connectionFinished(_ report: GatewayConnectionReport) {
        logger.logConnection(report)
        let record = report.audit
        if record.reason == .drainDeadline {
            logger.warning(
                "connection \(record.id) of \(record.service) cut by the drain at drain-timeout (up \(record.bytesUp), down \(record.bytesDown) bytes)"
            )
        }
    }
}

/// No `audit-log` configured: records go nowhere (the log lines still say what happened).
struct NoAuditLog: AuditSink {
    func record(_ record: AuditRecord, policy: DANEPolicy) {}
}
