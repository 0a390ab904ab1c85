import DNSSEC
import DNSWire
import EventLoop

/// Iterative resolution from root hints (RFC 1034 §5.3.3) as the validator's fetcher: the
/// questions go to the authoritative servers themselves, following referrals, so no recursive
/// resolver sits between the validator and the data (the "iterate from root hints" trust mode
/// of DESIGN.md). Every query has DO and CD set; nothing is believed before the validator has
/// checked it.
///
/// Kept small: referrals with glue (or with server names looked up the same way), CNAME chains
/// across zones merged into one response (as a recursive resolver hands them over), delegations
/// remembered for their NS TTL. One event-loop thread carries one `StubResolver` per server
/// address (UDP with TCP fallback, retries, answer matching).
public final class IteratingFetcher: DNSSECFetcher, @unchecked Sendable {
    public let rootServers: [SocketAddress]
    /// The port of servers learnt from glue (53; tests may use another).
    public let port: UInt16
    public let perServerTimeout: Duration
    private let thread: EventLoopThread
    /// Touched only on `thread.loop`.
    private var stubs: [SocketAddress: StubResolver] = [:]
    private let lock = Lock()
    /// Zone cuts learnt from referrals, with their servers. Guarded by `lock`.
    private var cuts: [Name: (servers: [SocketAddress], expiresAt: UInt64)] = [:]
    private let clock: ResolverClock

    static let maxReferrals = 16
    static let maxDepth = 6
    /// The most queries one fetch may send, across referrals, glueless NS sub-lookups and CNAME
    /// hops (the NXNSAttack class; Unbound's MAX_SENT_COUNT is also 32). Beyond it the fetch
    /// fails, which the validator reports as indeterminate.
    public static let maxQueriesPerLookup = 32
    /// The most per-server stub resolvers kept (DESIGN rule 11: no unbounded memory, whatever
    /// servers referrals name). Beyond it, idle ones are closed and forgotten.
    static let maxServers = 256

    public init(
        rootServers: [SocketAddress], port: UInt16 = 53, perServerTimeout: Duration = .seconds(2),
        clock: ResolverClock = .monotonic
    ) throws(ResolverError) {
        guard !rootServers.isEmpty else { throw ResolverError(.invalidConfiguration, "no root servers") }
        do {
            thread = try EventLoopThread()
        } catch {
            throw ResolverError(.networkError, "cannot start the fetcher's event loop: \(error)")
        }
        self.rootServers = rootServers
        self.port = port
        self.perServerTimeout = perServerTimeout
        self.clock = clock
    }

    public func fetch(_ name: Name, _ type: RRType) async -> FetchResult {
        await iterate(name, type, depth: 0, budget: QueryBudget(Self.maxQueriesPerLookup))
    }

    /// The queries one fetch may still send. Used by one fetch's task only, one step at a time.
    final class QueryBudget {
        private(set) var remaining: Int
        let limit: Int
        /// Set once a query was refused for want of budget.
        private(set) var isExceeded = false

        init(_ limit: Int) {
            self.limit = limit
            remaining = limit
        }

        var failure: FetchResult { .failure("more than \(limit) queries for one lookup") }

        /// Takes one query; false when none is left.
        func take() -> Bool {
            guard remaining > 0 else {
                isExceeded = true
                return false
            }
            remaining -= 1
            return true
        }
    }

    /// Forgets learnt zone cuts and cached responses.
    public func flush() {
        lock.withLock { cuts.removeAll() }
        thread.loop.execute { [self] in for stub in stubs.values { stub.cache.removeAll() } }
    }

    /// Stops the loop and joins its thread. Idempotent; also done on release.
    public func shutdown() {
        thread.loop.execute { [self] in for stub in stubs.values { stub.close() } }
        if thread.loop.inLoopThread { thread.loop.stop() } else { thread.stopAndJoin() }
    }

    deinit { shutdown() }

    // MARK: Iteration

    private func iterate(_ name: Name, _ type: RRType, depth: Int, budget: QueryBudget) async -> FetchResult {
        guard depth <= Self.maxDepth else { return .failure("iteration for \(name.presentation) nested too deep") }
        var (zone, servers) = closestCut(for: name, type: type)
        for _ in 0..<Self.maxReferrals {
            let response: Message
            switch await ask(servers, name, type, budget: budget) {
            case .failure(let text): return .failure(text)
            case .response(let message): response = message
            }
            guard let (child, nsRecords) = Self.referral(in: response, for: name, type: type, below: zone) else {
                return await chaseCNAME(response, name, type, depth: depth, budget: budget)
            }
            var addresses = glue(for: nsRecords, in: response)
            if addresses.isEmpty {
                for record in nsRecords.prefix(3) {
                    guard let host = (record.rdata as? NS)?.target, !host.isSubdomain(of: child) else { continue }
                    if case .response(let message) = await iterate(host, .a, depth: depth + 1, budget: budget) {
                        addresses += message.answers.compactMap { ($0.rdata as? A).flatMap { address(of: $0) } }
                    }
                    if !addresses.isEmpty { break }
                }
            }
            guard !addresses.isEmpty else {
                // A sub-lookup that ran out of queries ends the whole lookup, saying so.
                return budget.isExceeded ? budget.failure : .failure("no address for the servers of \(child.presentation)")
            }
            remember(child, servers: addresses, ttl: nsRecords.map(\.ttl).min() ?? 0)
            zone = child
            servers = addresses
        }
        return .failure("more than \(Self.maxReferrals) referrals for \(name.presentation)")
    }

    /// The NS set of a referral toward `name` (RFC 1034 §4.3.2): no answer, no SOA, an NS set
    /// for a zone below `zone` that holds `name`. A DS question is answered by the parent, so a
    /// referral to `name` itself is no referral for DS (RFC 4035 §3.1.4.1).
    static func referral(in response: Message, for name: Name, type: RRType, below zone: Name) -> (Name, [Record])? {
        guard response.rcode == .noError, response.answers.isEmpty,
            !response.authority.contains(where: { $0.type == .soa })
        else { return nil }
        let ns = response.authority.filter { $0.type == .ns }
        guard let child = ns.first?.owner, name.isSubdomain(of: child), child.isProperSubdomain(of: zone) else { return nil }
        if type == .ds && child == name { return nil }
        return (child, ns.filter { $0.owner == child })
    }

    /// A CNAME chain that leaves the response without the asked type is followed, and the
    /// answers are joined, the last response giving the RCODE and the authority section.
    private func chaseCNAME(_ response: Message, _ name: Name, _ type: RRType, depth: Int, budget: QueryBudget) async
        -> FetchResult
    {
        guard response.rcode == .noError, type != .cname, type != .any else { return .response(response) }
        var sname = name
        var links = 0
        while links < 16, let link = response.answers.first(where: { $0.owner == sname && $0.type == .cname }),
            let target = (link.rdata as? CNAME)?.target
        {
            sname = target
            links += 1
        }
        guard sname != name, !response.answers.contains(where: { $0.owner == sname && $0.type == type }) else {
            return .response(response)
        }
        switch await iterate(sname, type, depth: depth + 1, budget: budget) {
        case .failure(let text):
            return .failure("following the CNAME to \(sname.presentation): \(text)")
        case .response(let next):
            var merged = response
            merged.answers += next.answers
            merged.authority = next.authority
            merged.additional = []
            merged.rcode = next.rcode
            return .response(merged)
        }
    }

    private func glue(for nsRecords: [Record], in response: Message) -> [SocketAddress] {
        let hosts = Set(nsRecords.compactMap { ($0.rdata as? NS)?.target })
        return response.additional.compactMap { record in
            guard hosts.contains(record.owner), let a = record.rdata as? A else { return nil }
            return address(of: a)
        }
    }

    private func address(of record: A) -> SocketAddress? {
        try? SocketAddress(host: record.bytes.map(String.init).joined(separator: "."), port: port)
    }

    /// The deepest learnt cut above `name` (above its parent for DS), or the root.
    private func closestCut(for name: Name, type: RRType) -> (Name, [SocketAddress]) {
        let now = clock.nowMilliseconds()
        var cursor: Name? = type == .ds ? name.parent : name
        return lock.withLock {
            while let current = cursor, !current.isRoot {
                if let cut = cuts[current], cut.expiresAt > now { return (current, cut.servers) }
                cursor = current.parent
            }
            return (.root, rootServers)
        }
    }

    private func remember(_ zone: Name, servers: [SocketAddress], ttl: UInt32) {
        guard ttl > 0 else { return }
        let now = clock.nowMilliseconds()
        lock.withLock {
            if cuts.count >= 10_000 { cuts = cuts.filter { $0.value.expiresAt > now } }
            if cuts.count >= 10_000 { cuts.removeAll() }
            cuts[zone] = (servers, now + UInt64(min(ttl, 86_400)) * 1000)
        }
    }

    // MARK: Queries

    /// Asks each server in turn until one answers NOERROR or NXDOMAIN.
    private func ask(_ servers: [SocketAddress], _ name: Name, _ type: RRType, budget: QueryBudget) async -> FetchResult {
        var failures: [String] = []
        for server in servers.prefix(4) {
            guard budget.take() else { return budget.failure }
            switch await query(server, name, type) {
            case .success(let message): return .response(message)
            case .failure(let error): failures.append("\(server): \(error)")
            }
        }
        return .failure("\(type) \(name.presentation): " + failures.joined(separator: "; "))
    }

    /// Closes and drops the stub resolvers with nothing in flight once `maxServers` are kept.
    /// Runs on the loop.
    private func forgetIdleServersIfFull() {
        guard stubs.count >= Self.maxServers else { return }
        for (address, stub) in stubs where stub.lookupsInFlight == 0 {
            stub.close()
            stubs[address] = nil
        }
    }

    private func query(_ server: SocketAddress, _ name: Name, _ type: RRType) async -> Result<Message, ResolverError> {
        await withCheckedContinuation { continuation in
            let accepted = thread.loop.execute { [self] in
                let stub: StubResolver
                if let existing = stubs[server] {
                    stub = existing
                } else {
                    do {
                        var configuration = try ResolverConfiguration(servers: [server])
                        configuration.perServerTimeout = perServerTimeout
                        configuration.attempts = 2
                        stub = StubResolver(loop: thread.loop, configuration: configuration)
                        forgetIdleServersIfFull()
                        stubs[server] = stub
                    } catch let error as ResolverError {
                        continuation.resume(returning: .failure(error))
                        return
                    } catch {
                        continuation.resume(returning: .failure(ResolverError(.invalidConfiguration, "\(error)")))
                        return
                    }
                }
                stub.resolve(name, type, options: .validatorFetch) { result in
                    continuation.resume(returning: result.map(\.message))
                }
            }
            if !accepted {
                continuation.resume(returning: .failure(ResolverError(.cancelled, "the fetcher is shut down")))
            }
        }
    }
}
