import DANE
import EventLoop

/// The gateway on every core: one ``Gateway`` per loop of a ``MultiLoopServer``, every service
/// listening on every loop (SO_REUSEPORT: the kernel spreads the clients), each service's
/// `max-connections` one budget across the loops, one lookup source (and so one TLSA cache)
/// for the process, and the reload and drain steps the server's lifecycle calls.
///
/// Methods may be called from any thread that is not one of the loops, or from `loops[0]`
/// (where the lifecycle's callbacks run); see ``MultiLoopServer/perform(on:_:)``.
public final class GatewayServer: @unchecked Sendable {
    /// What a reload changed, for the log.
    public struct ReloadChanges: Sendable, Equatable {
        public var added: [String] = []
        public var removed: [String] = []
        public var changed: [String] = []
        /// Global keys that differ but take effect only at a restart.
        public var needRestart: [String] = []

        public var summary: String {
            func list(_ names: [String]) -> String { names.isEmpty ? "none" : names.joined(separator: ", ") }
            return "added \(list(added)); removed \(list(removed)); changed \(list(changed))"
        }
    }

    /// How the reloads went since start (the metrics' `danegate_config_reloads_total{result}`).
    public struct ReloadCounts: Sendable, Equatable {
        public var success: UInt64 = 0
        public var failure: UInt64 = 0
    }

    public let runtime: MultiLoopServer
    /// `gateways[i]` runs on `runtime.loops[i]` and is touched only there.
    private let gateways: [Gateway]
    private let lock = Lock()
    /// Guarded by `lock`; changed by `start()` and `reload(to:)`.
    private var current: GatewayConfiguration
    /// Guarded by `lock`: the bound address of each service (the real port when `accept` said 0).
    private var bound: [String: SocketAddress] = [:]
    /// Guarded by `lock`: each service's `max-connections` budget, shared by every loop.
    private var budgets: [String: ConnectionBudget] = [:]
    /// Guarded by `lock`.
    private var reloads = ReloadCounts()
    /// Guarded by `lock`: each service's listener on every loop, in loop order.
    private var listeners: [String: [GatewayService]] = [:]

    /// `runtime`'s own budget should be unlimited: it counts every connection for the drain,
    /// while each service's `max-connections` is a budget of the service's.
    /// The metrics every loop's gateway records into (one registry for the process).
    private let metrics: GatewayMetrics?

    public init(
        configuration: GatewayConfiguration, runtime: MultiLoopServer, source: any SecureLookupSource,
        contexts: UpstreamTLSContexts, auditSink: any AuditSink, observer: (any GatewayObserver)? = nil,
        limits: GatewayLimits = GatewayLimits(), metrics: GatewayMetrics? = nil
    ) {
        self.runtime = runtime
        self.metrics = metrics
        current = configuration
        let processPrefix = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        gateways = runtime.loops.enumerated().map { index, loop in
            Gateway(
                configuration: configuration, loop: loop, source: source, contexts: contexts, auditSink: auditSink,
                observer: observer, limits: limits, idPrefix: "\(processPrefix)-\(index)",
                drainBudget: runtime.connectionBudget, metrics: metrics)
        }
    }

    /// The configuration served now.
    public var configuration: GatewayConfiguration { lock.withLock { current } }

    /// Each service's listening address, in configuration order.
    public var listeningAddresses: [(service: String, address: SocketAddress)] {
        lock.withLock { current.services.compactMap { service in bound[service.name].map { (service.name, $0) } } }
    }

    /// Binds every service on every loop; on failure nothing stays bound.
    public func start() throws(EventLoopError) {
        let services = configuration.services
        do {
            for service in services { try bind(service) }
        } catch {
            for service in services { unbind(service.name) }
            throw error
        }
    }

    /// Serves `new` from now on: services added are bound, removed ones stop listening, changed
    /// ones give new clients the new settings (a changed `accept` is bound anew). Connections in
    /// flight keep the configuration they started with. When a new listener cannot be bound,
    /// the ones bound for this reload are closed and the old configuration stays, untouched.
    public func reload(to new: GatewayConfiguration) throws(EventLoopError) -> ReloadChanges {
        let old = configuration
        var changes = ReloadChanges()
        let oldByName = Dictionary(old.services.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newNames = Set(new.services.map(\.name))
        // Services to bind anew: new names, and changed `accept` addresses.
        let rebinding = new.services.filter { service in
            guard let previous = oldByName[service.name] else { return true }
            return previous.accept != service.accept
        }
        var freshlyBound: [ServiceConfiguration] = []
        do {
            for service in rebinding {
                // A changed `accept` on the same name: the old listener is closed only once the
                // new one is up, so the new one is bound under a temporary key first.
                try bind(service, key: Self.pendingKey(service.name))
                freshlyBound.append(service)
            }
        } catch {
            for service in freshlyBound { unbind(Self.pendingKey(service.name)) }
            throw error
        }
        for service in old.services where !newNames.contains(service.name) || freshlyBound.contains(where: { $0.name == service.name }) {
            unbind(service.name)
            if !newNames.contains(service.name) { changes.removed.append(service.name) }
        }
        for service in freshlyBound {
            promote(Self.pendingKey(service.name), to: service.name)
            if oldByName[service.name] == nil { changes.added.append(service.name) } else { changes.changed.append(service.name) }
        }
        for service in new.services {
            guard let previous = oldByName[service.name], previous.accept == service.accept, previous != service else {
                continue
            }
            let budget = lock.withLock {
                if previous.maxConnections == service.maxConnections, let kept = budgets[service.name] { return kept }
                let fresh = ConnectionBudget(limit: service.maxConnections)
                budgets[service.name] = fresh
                return fresh
            }
            runtime.onEveryRunningLoop { [gateways] index, _ in gateways[index].updateService(service, budget: budget) }
            changes.changed.append(service.name)
        }
        if old.global.resolvers != new.global.resolvers { changes.needRestart.append("resolver") }
        if old.global.dnssec != new.global.dnssec { changes.needRestart.append("dnssec/trust-anchor") }
        if old.global.auditLog != new.global.auditLog { changes.needRestart.append("audit-log") }
        if old.global.workers != new.global.workers { changes.needRestart.append("workers") }
        if old.global.logLevel != new.global.logLevel { changes.needRestart.append("log-level") }
        if old.global.drainTimeout != new.global.drainTimeout { changes.needRestart.append("drain-timeout") }
        lock.withLock { current = new }
        runtime.onEveryRunningLoop { [gateways] index, _ in gateways[index].adopt(new) }
        return changes
    }

    /// Reloads counted by result.
    public var reloadCounts: ReloadCounts { lock.withLock { reloads } }

    /// SIGHUP: reads and checks `path` again and serves it; a file that does not load, or a
    /// listener that cannot be bound, leaves the old configuration serving and is counted as a
    /// failure. The result says what changed, or why nothing did.
    public func reload(fromFile path: String) -> Result<ReloadChanges, ReloadFailure> {
        let outcome: Result<ReloadChanges, ReloadFailure>
        do {
            let new = try GatewayConfiguration.load(path: path)
            do {
                outcome = .success(try reload(to: new))
            } catch {
                outcome = .failure(ReloadFailure(description: "cannot listen: \(error)"))
            }
        } catch {
            outcome = .failure(ReloadFailure(description: error.description))
        }
        lock.withLock {
            switch outcome {
            case .success: reloads.success += 1
            case .failure: reloads.failure += 1
            }
        }
        if case .success = outcome { metrics?.configReloaded(success: true) } else { metrics?.configReloaded(success: false) }
        return outcome
    }

    /// Why a reload kept the old configuration.
    public struct ReloadFailure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Stops listening on every loop; connections go on (the drain).
    public func stopAccepting() {
        // /healthz answers 503 from now on; the metrics endpoint stays up until the process exits.
        metrics?.setHealth(.draining)
        runtime.onEveryRunningLoop { [gateways] index, _ in gateways[index].stop() }
    }

    /// Closes what is still open on every loop (the drain's deadline); each connection gets its
    /// audit record and log line before this returns.
    public func closeRemaining() {
        runtime.onEveryRunningLoop { [gateways] index, _ in gateways[index].cutConnections() }
    }

    // MARK: Listeners

    private static func pendingKey(_ name: String) -> String { "\u{0}reload:\(name)" }

    /// Binds `service` on every loop and records its address and budget under `key`; on
    /// failure the loops that bound it already close it again.
    private func bind(_ service: ServiceConfiguration, key: String? = nil) throws(EventLoopError) {
        let key = key ?? service.name
        let budget = ConnectionBudget(limit: service.maxConnections)
        let gateways = self.gateways
        let made = BoundServices()
        let services: [GatewayService]
        do {
            services = try runtime.listenOnEveryLoop(service.accept, port: { $0.localAddress?.port ?? 0 }) {
                (index, address, reusePort) throws(EventLoopError) in
                let bound = try gateways[index].addService(service, at: address, reusePort: reusePort, budget: budget)
                made.append(bound)
                return bound
            }
        } catch {
            remove(made.services)
            throw error
        }
        // Read after every loop bound it (perform waited for each).
        let address = services[0].localAddress ?? service.accept
        lock.withLock {
            bound[key] = address
            budgets[key] = budget
            listeners[key] = services
        }
    }

    /// Closes the listeners recorded under `key`; their connections go on.
    private func unbind(_ key: String) {
        let services: [GatewayService] = lock.withLock {
            bound[key] = nil
            budgets[key] = nil
            return listeners.removeValue(forKey: key) ?? []
        }
        remove(services)
    }

    /// `services[i]` is on the loop of `gateways[i]`... or fewer, after a failed bind.
    private func remove(_ services: [GatewayService]) {
        let gateways = self.gateways
        runtime.onEveryRunningLoop { index, _ in
            for service in services where service.loop === gateways[index].loop { gateways[index].remove(service) }
        }
    }

    private func promote(_ key: String, to name: String) {
        lock.withLock {
            bound[name] = bound.removeValue(forKey: key)
            budgets[name] = budgets.removeValue(forKey: key)
            listeners[name] = listeners.removeValue(forKey: key)
        }
    }
}

/// The services one bind made so far, to close again when a later loop fails to bind.
private final class BoundServices: @unchecked Sendable {
    private let lock = Lock()
    private var made: [GatewayService] = []

    func append(_ service: GatewayService) { lock.withLock { made.append(service) } }
    var services: [GatewayService] { lock.withLock { made } }
}
