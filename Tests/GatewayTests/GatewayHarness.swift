import DANE
import EventLoop
import Foundation
import Gateway
import Resolver
import TestSupport

/// Collects every finished connection's report (observer) and audit record (sink).
final class ReportCollector: GatewayObserver, AuditSink, @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [GatewayConnectionReport] = []
    private var audits: [AuditRecord] = []

    func connectionFinished(_ report: GatewayConnectionReport) {
        lock.withLock { collected.append(report) }
    }

    func record(_ record: AuditRecord, policy: DANEPolicy) {
        lock.withLock { audits.append(record) }
    }

    var auditRecords: [AuditRecord] { lock.withLock { audits } }
    var reports: [GatewayConnectionReport] { lock.withLock { collected } }

    /// Waits (polling) for `count` reports of `service`.
    func wait(for service: String, count: Int = 1, timeout: TimeInterval = 40) throws -> [GatewayConnectionReport] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let found = lock.withLock { collected.filter { $0.audit.service == service } }
            if found.count >= count { return found }
            usleep(20_000)
        }
        throw TestSupportError(.timedOut, "no report for \(service) within \(timeout) s")
    }
}

/// A gateway running in-process on a loop thread of its own, resolving through the test
/// hierarchy's validating unbound (trusting its AD bit on loopback).
final class RunningGateway {
    let thread: EventLoopThread
    let gateway: Gateway
    let collector = ReportCollector()
    private let resolver: AsyncResolver

    /// `validating`: validate in process from the zone's key (the default `dnssec` mode)
    /// instead of trusting unbound's AD bit.
    init(
        _ services: [ServiceConfiguration], dns: DANEHierarchy, limits: GatewayLimits = GatewayLimits(),
        validating: Bool = false, metrics: GatewayMetrics? = nil
    ) throws {
        let source: any SecureLookupSource
        if validating {
            let lookup = try GatewayLookupSource(
                GlobalSettings(resolvers: [try SocketAddress(parsing: dns.resolverAddress + ":53")],
                               dnssec: .validate(trustAnchor: dns.anchorFile)))
            resolver = lookup.resolver
            source = lookup.source
        } else {
            var configuration = try ResolverConfiguration(serverStrings: [dns.resolverAddress])
            try configuration.requireTrustAD()
            configuration.perServerTimeout = .seconds(2)
            resolver = try AsyncResolver(configuration: configuration)
            source = TrustADLookupSource(resolver: resolver)
        }
        metrics?.countTLSALookups(of: resolver.cache)
        thread = try EventLoopThread()
        gateway = Gateway(
            configuration: GatewayConfiguration(services: services), loop: thread.loop,
            source: source, contexts: try UpstreamTLSContexts(),
            auditSink: collector, observer: collector, limits: limits, metrics: metrics)
        let started = DispatchSemaphore(value: 0)
        let failure = Locked<String?>(nil)
        _ = thread.loop.execute { [gateway] in
            do {
                try gateway.start()
            } catch {
                failure.set("\(error)")
            }
            started.signal()
        }
        started.wait()
        if let message = failure.get() { throw TestSupportError(.commandFailed, "gateway start: \(message)") }
    }

    deinit {
        let stopped = DispatchSemaphore(value: 0)
        _ = thread.loop.execute { [gateway] in
            gateway.stop()
            stopped.signal()
        }
        stopped.wait()
        thread.stopAndJoin()
        resolver.shutdown()
    }

    /// The service's connections in progress, read on the gateway's loop.
    func activeConnections(_ service: String) -> Int {
        let count = Locked(0)
        let done = DispatchSemaphore(value: 0)
        _ = thread.loop.execute { [gateway] in
            count.set(gateway.service(service)?.activeConnections ?? 0)
            done.signal()
        }
        done.wait()
        return count.get()
    }

    /// The port the service listens on.
    func port(_ service: String) -> UInt16 {
        gateway.service(service)?.localAddress?.port ?? 0
    }
}

/// A value shared between threads under a lock.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&value) } }
}

/// A service on 127.0.0.1 port 0 with short deadlines for tests.
func testService(
    _ name: String, _ serviceProtocol: ServiceProtocol, _ connect: ConnectTarget, dane: DANEPolicy = .require,
    allow: [AddressRange]? = nil, handshakeTimeout: Duration = .seconds(10)
) throws -> ServiceConfiguration {
    ServiceConfiguration(
        name: name, accept: try SocketAddress(parsing: "127.0.0.1:0"), connect: connect,
        serviceProtocol: serviceProtocol, dane: dane, allow: allow, connectTimeout: .seconds(5),
        handshakeTimeout: handshakeTimeout, idleTimeout: .seconds(60))
}

/// Reads from `socket` until `done` says the bytes are complete or the peer closes.
func receive(_ socket: BlockingSocket, until done: ([UInt8]) -> Bool = { _ in false }) -> [UInt8] {
    var received: [UInt8] = []
    while !done(received) {
        guard let bytes = try? socket.receive() else { break }
        received += bytes
    }
    return received
}

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

/// Runs a blocking test body on a thread of its own. Sync tests run on Swift's cooperative
/// pool (two threads on a two-core machine); a body that blocks there starves the gateway's
/// planning tasks, which need that pool.
func offThePool(_ body: @escaping @Sendable () throws -> Void) async throws {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
        let thread = Thread {
            do {
                try body()
                continuation.resume()
            } catch {
                continuation.resume(throwing: error)
            }
        }
        thread.stackSize = 4 << 20
        thread.start()
    }
}
