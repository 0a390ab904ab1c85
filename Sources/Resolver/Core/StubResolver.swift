import DNSWire
import EventLoop

/// A security-aware, non-validating stub resolver on one event loop (RFC 4033 §2, RFC 4035
/// §4.9): it asks the configured recursive servers over UDP with EDNS(0) (TCP after a truncated
/// answer), sets DO so answers carry RRSIG/NSEC/NSEC3 records (and CD when asked), reports the
/// AD bit, and trusts it only in `trust-ad` mode from a loopback server.
///
/// Every call is made on the loop's thread (`AsyncResolver` does the hop for async code).
/// Lookups go through the cache (shared between loops when the same `ResolverCache` is given
/// to each loop's resolver); identical lookups in flight on this resolver share one query.
public final class StubResolver: @unchecked Sendable {
    /// Called once per lookup, on the resolver's loop, with the answer or why there is none.
    public typealias Completion = (Result<ResolverAnswer, ResolverError>) -> Void

    public let loop: EventLoop
    public let configuration: ResolverConfiguration
    public let cache: ResolverCache
    private let recorder = StatisticsRecorder()
    /// Lookups on the network, each with the callers waiting for it.
    private var inFlight: [CacheKey: PendingLookup] = [:]
    /// The first server of the next lookup when `rotate` is on.
    private var rotation = 0
    private var isClosed = false

    /// May be created on any thread; used only on `loop`'s thread afterwards.
    public init(loop: EventLoop, configuration: ResolverConfiguration, cache: ResolverCache = ResolverCache()) {
        self.loop = loop
        self.configuration = configuration
        self.cache = cache
    }

    /// Looks up `name`/`type`. A cache hit completes at once, inside this call (cheaply, with
    /// no hop); otherwise `completion` runs later on the loop, exactly once, within the
    /// configured time budget.
    public func resolve(
        _ name: Name, _ type: RRType, options: ResolveOptions = ResolveOptions(), completion: @escaping Completion
    ) {
        loop.assertInLoopThread()
        let key = CacheKey(name: name, type: type, options: options)
        if options.useCache, let (entry, remaining) = cache.lookup(key) {
            recorder.counters.cacheHits += 1
            completion(.success(answer(from: entry, remainingTTL: remaining)))
            return
        }
        recorder.counters.cacheMisses += 1
        guard !isClosed else {
            completion(.failure(ResolverError(.cancelled, "the resolver is closed")))
            return
        }
        if let pending = inFlight[key] {
            recorder.counters.coalesced += 1
            pending.waiters.append(completion)
            return
        }
        let pending = PendingLookup(completion)
        inFlight[key] = pending
        recorder.counters.transactions += 1
        let first = configuration.rotate ? rotation % configuration.servers.count : 0
        rotation &+= 1
        let question = Question(name: name, type: type, rrClass: options.rrClass)
        let transaction = QueryTransaction(
            loop: loop, question: question, options: options, configuration: configuration, firstServer: first,
            statistics: recorder
        ) { [weak self] result in
            self?.transactionEnded(key, result)
        }
        pending.transaction = transaction
        transaction.start()
    }

    /// The counters so far (loop thread only).
    /// Lookups waiting for an answer (coalesced questions count once).
    public var lookupsInFlight: Int { inFlight.count }

    public var statistics: ResolverStatistics {
        loop.assertInLoopThread()
        return recorder.counters
    }

    /// Ends every lookup in flight with `.cancelled`; later lookups fail the same way unless
    /// the cache answers them. Call before stopping the loop so no caller waits forever.
    public func close() {
        loop.assertInLoopThread()
        isClosed = true
        for pending in Array(inFlight.values) { pending.transaction?.cancel() }
    }

    // MARK: Completion

    private func transactionEnded(
        _ key: CacheKey, _ result: Result<(Message, SocketAddress, usedTCP: Bool), ResolverError>
    ) {
        guard let pending = inFlight.removeValue(forKey: key) else { return }
        pending.transaction = nil
        let outcome: Result<ResolverAnswer, ResolverError>
        switch result {
        case .success(let (message, server, usedTCP)):
            let response = ReceivedResponse(message: message, server: server, usedTCP: usedTCP)
            let lifetime = cache.store(key, response)
            outcome = .success(
                ResolverAnswer(response: response, authenticDataTrusted: trusts(response), fromCache: false,
                               remainingTTL: lifetime))
        case .failure(let error):
            recorder.counters.failures += pending.waiters.count
            outcome = .failure(error)
        }
        for waiter in pending.waiters { waiter(outcome) }
    }

    private func answer(from entry: CacheEntry, remainingTTL: UInt32) -> ResolverAnswer {
        ResolverAnswer(response: entry.response, authenticDataTrusted: trusts(entry.response), fromCache: true,
                       remainingTTL: remainingTTL)
    }

    /// `trust-ad`: AD counts only from a loopback server (RFC 6698 §4 / RFC 4035 §4.9.3: the
    /// path to the validating resolver must be secure; only the host's own is here).
    @inline(__always)
    private func trusts(_ response: ReceivedResponse) -> Bool {
        configuration.trustAD && response.serverIsLoopback && response.message.header.authenticData
    }
}

/// A lookup on the network and the callers waiting for its answer.
private final class PendingLookup {
    var waiters: [StubResolver.Completion]
    var transaction: QueryTransaction?

    init(_ first: @escaping StubResolver.Completion) {
        waiters = [first]
    }
}
