import DANE
import DNSSEC
import DNSWire
import EventLoop

/// The gateway's TLSA/MX/SRV/address answers for the whole process, in front of its one lookup
/// source: every loop asks here, so an answer one loop fetched serves the others, and identical
/// lookups in flight on several loops wait for one fetch.
///
/// Answers judged secure or insecure are kept for `ValidationResult.ttl`, which the validator
/// already bounds by the RRSIG expiration (DESIGN rule 10); bogus answers and failed lookups
/// are never kept (rule 4: the next client asks again). An answer asked for in the last tenth
/// of its lifetime is fetched again in the background while the cached one is returned (as
/// Unbound's `prefetch`), so in steady state no client waits for DNS. Safe from any thread.
public final class SharedLookupCache: SecureLookupSource, @unchecked Sendable {
    /// Counts since start; read them from any thread (the metrics read `hits` and `misses`).
    public struct Statistics: Sendable, Equatable {
        /// Lookups answered from the cache.
        public var hits: UInt64 = 0
        /// Lookups that waited for DNS (a fetch of their own, or one already in flight).
        public var misses: UInt64 = 0
        /// Misses that joined a fetch already in flight rather than starting one.
        public var coalesced: UInt64 = 0
        /// Background refreshes of answers about to expire.
        public var prefetches: UInt64 = 0
        /// The hits and misses of TLSA questions alone (`danegate_tlsa_cache_*_total`).
        public var tlsaHits: UInt64 = 0
        public var tlsaMisses: UInt64 = 0
    }

    private struct Key: Hashable {
        let name: Name
        let type: RRType
    }

    private struct Entry {
        let answer: SecureLookup
        let stored: ContinuousClock.Instant
        let expires: ContinuousClock.Instant
    }

    public let upstream: any SecureLookupSource
    /// The most answers kept; past it, expired ones go first, then the oldest.
    public let capacity: Int
    public var mode: String { upstream.mode }
    private let clock: @Sendable () -> ContinuousClock.Instant
    private let lock = Lock()
    /// Guarded by `lock`.
    private var entries: [Key: Entry] = [:]
    /// Guarded by `lock`.
    private var inFlight: [Key: Task<SecureLookup, Never>] = [:]
    /// Guarded by `lock`.
    private var counts = Statistics()

    public init(
        _ upstream: any SecureLookupSource, capacity: Int = 10_000,
        clock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.upstream = upstream
        self.capacity = max(1, capacity)
        self.clock = clock
    }

    public var statistics: Statistics { lock.withLock { counts } }

    /// Returns once the fetches in flight now (background refreshes included) have finished.
    public func waitForFetchesInFlight() async {
        let running = lock.withLock { Array(inFlight.values) }
        for task in running { _ = await task.value }
    }

    public func lookup(_ name: Name, _ type: RRType) async -> SecureLookup {
        let key = Key(name: name, type: type)
        let now = clock()
        enum Step {
            case hit(SecureLookup)
            case wait(Task<SecureLookup, Never>)
        }
        let step: Step = lock.withLock {
            if let entry = entries[key] {
                if entry.expires > now {
                    counts.hits += 1
                    if type == .tlsa { counts.tlsaHits += 1 }
                    // The last tenth of its lifetime: refresh it while it is still in use.
                    let lifetime = entry.expires - entry.stored
                    if entry.expires - now <= lifetime / 10, inFlight[key] == nil {
                        counts.prefetches += 1
                        inFlight[key] = fetch(key)
                    }
                    return .hit(entry.answer)
                }
                entries[key] = nil
            }
            counts.misses += 1
            if type == .tlsa { counts.tlsaMisses += 1 }
            if let running = inFlight[key] {
                counts.coalesced += 1
                return .wait(running)
            }
            let task = fetch(key)
            inFlight[key] = task
            return .wait(task)
        }
        switch step {
        case .hit(let answer): return answer
        case .wait(let task): return await task.value
        }
    }

    /// Starts the one fetch of `key`; it stores what it may keep. Called under `lock`.
    private func fetch(_ key: Key) -> Task<SecureLookup, Never> {
        Task { [upstream] in
            let answer = await upstream.lookup(key.name, key.type)
            store(answer, for: key)
            return answer
        }
    }

    private func store(_ answer: SecureLookup, for key: Key) {
        let now = clock()
        lock.withLock {
            inFlight[key] = nil
            guard let lifetime = Self.lifetime(of: answer) else { return }
            if entries[key] == nil, entries.count >= capacity { makeRoom(now: now) }
            entries[key] = Entry(answer: answer, stored: now, expires: now + lifetime)
        }
    }

    /// How long `answer` may be kept; nil: not at all.
    static func lifetime(of answer: SecureLookup) -> Duration? {
        guard case .answered(let result) = answer else { return nil }
        switch result.status {
        case .secure, .insecure: break
        default: return nil
        }
        guard let ttl = result.ttl ?? result.rrsets.map(\.ttl).min(), ttl > 0 else { return nil }
        return .seconds(Int64(ttl))
    }

    /// Under `lock`: drops the expired answers, and the oldest one if none had.
    private func makeRoom(now: ContinuousClock.Instant) {
        let before = entries.count
        entries = entries.filter { $0.value.expires > now }
        if entries.count == before, let oldest = entries.min(by: { $0.value.stored < $1.value.stored })?.key {
            entries[oldest] = nil
        }
    }
}
