import CoreMetrics
import EventLoop
import Foundation
import Prometheus
import Resolver

/// The gateway's metrics (issue 13), recorded through swift-metrics into a Prometheus registry of
/// their own (not the process-wide `MetricsSystem`, so several gateways in one test process keep
/// separate counts) and exposed in Prometheus text by swift-prometheus. Thread-safe: every loop
/// records into the same registry.
public final class GatewayMetrics: @unchecked Sendable {
    /// `/healthz`: 200 while serving, 503 while draining.
    public enum Health: Sendable, Equatable {
        case serving
        case draining
    }

    public let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let lock = Lock()
    /// Guarded by `lock`.
    private var state = Health.serving
    /// Reads the TLSA cache's hit and miss counts since start, at each scrape.
    private var tlsaCounts: (@Sendable () -> (hits: Int, misses: Int))?
    private var tlsaCountsSeen = (hits: 0, misses: 0)

    public init(version: String) {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Handshakes and DNS lookups take milliseconds to seconds; the same buckets suit both.
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
            .seconds(5), .seconds(10), .seconds(30),
        ]
        self.factory = factory
        Gauge(label: "danegate_build_info", dimensions: [("version", version)], factory: factory).record(1)
        // Families that exist before their first event, so a scrape always shows them.
        Counter(label: "danegate_tlsa_cache_hits_total", factory: factory).increment(by: 0)
        Counter(label: "danegate_tlsa_cache_misses_total", factory: factory).increment(by: 0)
        for result in ["success", "failure"] {
            Counter(label: "danegate_config_reloads_total", dimensions: [("result", result)], factory: factory)
                .increment(by: 0)
        }
        _ = Timer(label: "danegate_handshake_seconds", factory: factory)
        _ = Timer(label: "danegate_dns_lookup_seconds", factory: factory)
    }

    // MARK: Health

    public var health: Health { lock.withLock { state } }

    /// The drain switches this to `.draining`; `/healthz` then answers 503 so a load balancer
    /// stops sending clients while connections in progress finish.
    public func setHealth(_ health: Health) {
        lock.withLock { state = health }
    }

    // MARK: Events

    /// A client was accepted by `service` (it counts as active until `connectionClosed`).
    public func connectionOpened(service: String) {
        Meter(label: "danegate_active_connections", dimensions: [("service", service)], factory: factory).increment()
    }

    public func connectionClosed(service: String) {
        Meter(label: "danegate_active_connections", dimensions: [("service", service)], factory: factory).decrement()
    }

    /// One finished connection, counted by its audit record's verdict and reason (`""` when it has
    /// none, as a verified connection), with the bytes it relayed each way.
    public func connectionFinished(_ record: AuditRecord) {
        let service = record.service
        Counter(
            label: "danegate_connections_total",
            dimensions: [("service", service), ("verdict", record.verdict.rawValue), ("reason", record.reason?.description ?? "")],
            factory: factory
        ).increment()
        Counter(label: "danegate_bytes_total", dimensions: [("service", service), ("direction", "up")], factory: factory)
            .increment(by: max(0, record.bytesUp))
        Counter(label: "danegate_bytes_total", dimensions: [("service", service), ("direction", "down")], factory: factory)
            .increment(by: max(0, record.bytesDown))
    }

    /// Dialing the upstream up to its verdict: connect, STARTTLS, the TLS handshake, DANE.
    public func handshakeFinished(after duration: Duration) {
        Timer(label: "danegate_handshake_seconds", factory: factory).recordNanoseconds(Self.nanoseconds(duration))
    }

    /// One DNS lookup with its validation (a cache hit takes microseconds).
    public func dnsLookupFinished(after duration: Duration) {
        Timer(label: "danegate_dns_lookup_seconds", factory: factory).recordNanoseconds(Self.nanoseconds(duration))
    }

    /// A configuration reload: `success` when the new configuration serves, `failure` when it
    /// failed to load and the old one goes on.
    public func configReloaded(success: Bool) {
        Counter(
            label: "danegate_config_reloads_total", dimensions: [("result", success ? "success" : "failure")],
            factory: factory
        ).increment()
    }

    /// Counts the TLSA lookups `cache` answers (hits) and cannot answer (misses), read at each
    /// scrape: the resolver cache of a single gateway.
    public func countTLSALookups(of cache: ResolverCache) {
        countTLSALookups {
            let counts = cache.statistics
            return (counts.tlsaHits, counts.tlsaMisses)
        }
    }

    /// Counts TLSA hits and misses from `read` (counts since start), at each scrape: the shared
    /// cache of `danegate --config`, in front of every loop's lookups.
    public func countTLSALookups(_ read: @escaping @Sendable () -> (hits: Int, misses: Int)) {
        lock.withLock {
            tlsaCounts = read
            tlsaCountsSeen = read()
        }
    }

    // MARK: Exposition

    /// The Prometheus text exposition format (version 0.0.4) of every metric.
    public func exposition() -> [UInt8] {
        let (hits, misses) = lock.withLock { () -> (Int, Int) in
            guard let tlsaCounts else { return (0, 0) }
            let now = tlsaCounts()
            defer { tlsaCountsSeen = now }
            return (now.hits - tlsaCountsSeen.hits, now.misses - tlsaCountsSeen.misses)
        }
        if hits > 0 { Counter(label: "danegate_tlsa_cache_hits_total", factory: factory).increment(by: hits) }
        if misses > 0 { Counter(label: "danegate_tlsa_cache_misses_total", factory: factory).increment(by: misses) }
        return registry.emitToBuffer()
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(0, seconds) * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
