import DNSWire
import EventLoop

/// A cache of responses shared by every loop of a process: create one and hand it to each
/// loop's `StubResolver`. Thread-safe (one lock around a dictionary); a lookup builds no key
/// copy and allocates nothing.
///
/// Entries live no longer than their lifetime (`CacheLifetime`: TTLs, RFC 2308 for negative
/// answers), capped by `maxTTL` and by any cap a caller sets (the validator caps validated data
/// at its RRSIG expiration, DESIGN.md rule 10). When `capacity` is reached the oldest entry not
/// used since the last sweep goes (the CLOCK approximation of LRU: each entry has a "used" bit
/// that a lookup sets and eviction clears, giving it a second chance).
public final class ResolverCache: @unchecked Sendable {
    /// The most entries kept.
    public let capacity: Int
    /// No entry lives longer than this many seconds, whatever its TTL.
    public let maxTTL: UInt32
    public let clock: ResolverClock

    private let lock = Lock()
    /// Guarded by `lock`.
    private var entries: [CacheKey: CacheEntry] = [:]
    /// Entries in insertion order (the CLOCK hand starts at `queueHead`). Replaced or removed
    /// entries stay in the queue until the hand passes them; `compactQueue` bounds it.
    private var queue: [CacheEntry] = []
    private var queueHead = 0
    private var counters = ResolverCacheStatistics()

    public init(capacity: Int = 10_000, maxTTL: UInt32 = 86_400, clock: ResolverClock = .monotonic) {
        self.capacity = max(capacity, 1)
        self.maxTTL = maxTTL
        self.clock = clock
    }

    // MARK: Lookup

    /// The live entry for `key` with its remaining seconds (at least 1), or nil (an expired
    /// entry is removed on the way).
    func lookup(_ key: CacheKey) -> (entry: CacheEntry, remainingSeconds: UInt32)? {
        let now = clock.nowMilliseconds()
        return lock.withLock {
            guard let entry = entries[key] else {
                counters.countMiss(key.type)
                return nil
            }
            guard entry.expiresAt > now else {
                entries[key] = nil
                entry.isLive = false
                counters.expirations += 1
                counters.countMiss(key.type)
                return nil
            }
            entry.recentlyUsed = true
            counters.countHit(key.type)
            return (entry, UInt32(clamping: (entry.expiresAt - now + 999) / 1000))
        }
    }

    // MARK: Storing

    /// Caches a response for its lifetime (nothing happens when it is not cacheable).
    /// `lifetimeCap` shortens the lifetime further (seconds). Returns the seconds it will live.
    @discardableResult
    public func store(
        _ key: CacheKey, message: Message, server: SocketAddress, usedTCP: Bool = false, lifetimeCap: UInt32? = nil
    ) -> UInt32? {
        store(key, ReceivedResponse(message: message, server: server, usedTCP: usedTCP), lifetimeCap: lifetimeCap)
    }

    @discardableResult
    func store(_ key: CacheKey, _ response: ReceivedResponse, lifetimeCap: UInt32? = nil) -> UInt32? {
        guard var lifetime = CacheLifetime.seconds(for: response.message) else { return nil }
        lifetime = min(lifetime, maxTTL)
        if let lifetimeCap { lifetime = min(lifetime, lifetimeCap) }
        guard lifetime > 0 else { return nil }
        let now = clock.nowMilliseconds()
        let entry = CacheEntry(key: key, response: response, expiresAt: now + UInt64(lifetime) * 1000)
        lock.withLock {
            if let old = entries.updateValue(entry, forKey: key) {
                old.isLive = false
            } else {
                while entries.count > capacity, evictOne(now: now) {}
            }
            queue.append(entry)
            counters.insertions += 1
            compactQueueIfNeeded()
        }
        return lifetime
    }

    /// Shortens the life of a cached entry to at most `seconds` from now (the validator passes
    /// min(TTL, RRSIG expiration − now)). Nothing happens without an entry.
    public func limitLifetime(of key: CacheKey, toSeconds seconds: UInt32) {
        let now = clock.nowMilliseconds()
        lock.withLock {
            guard let entry = entries[key] else { return }
            let limit = now + UInt64(seconds) * 1000
            if limit < entry.expiresAt { entry.expiresAt = limit }
            if seconds == 0 {
                entries[key] = nil
                entry.isLive = false
            }
        }
    }

    /// Drops `key`.
    public func remove(_ key: CacheKey) {
        lock.withLock {
            entries.removeValue(forKey: key)?.isLive = false
        }
    }

    public func removeAll() {
        lock.withLock {
            for entry in entries.values { entry.isLive = false }
            entries.removeAll()
            queue.removeAll()
            queueHead = 0
        }
    }

    /// The number of entries held (expired ones included until they are found or evicted).
    public var count: Int { lock.withLock { entries.count } }

    public var statistics: ResolverCacheStatistics { lock.withLock { counters } }

    // MARK: Eviction (under the lock)

    /// Removes one entry: the first expired or not-recently-used one under the CLOCK hand.
    /// False when there was nothing to remove.
    private func evictOne(now: UInt64) -> Bool {
        while queueHead < queue.count {
            let entry = queue[queueHead]
            queueHead += 1
            guard entry.isLive else { continue }  // replaced or removed earlier
            if entry.recentlyUsed && entry.expiresAt > now {
                entry.recentlyUsed = false
                queue.append(entry)  // second chance
                continue
            }
            entries[entry.key] = nil
            entry.isLive = false
            counters.evictions += 1
            return true
        }
        return false
    }

    /// Drops the part of the queue the hand has passed once it outweighs the live part.
    private func compactQueueIfNeeded() {
        guard queueHead > 64, queueHead * 2 > queue.count else { return }
        queue.removeFirst(queueHead)
        queueHead = 0
    }
}

/// Counters of a `ResolverCache`.
public struct ResolverCacheStatistics: Sendable, Equatable {
    public var hits = 0
    public var misses = 0
    public var insertions = 0
    public var evictions = 0
    public var expirations = 0
    /// The TLSA questions among `hits` and `misses` (the gateway's metrics, issue 13).
    public var tlsaHits = 0
    public var tlsaMisses = 0
    public init() {}

    mutating func countHit(_ type: RRType) {
        hits += 1
        if type == .tlsa { tlsaHits += 1 }
    }

    mutating func countMiss(_ type: RRType) {
        misses += 1
        if type == .tlsa { tlsaMisses += 1 }
    }
}

/// One cached response. Fields other than the flags never change after creation; the flags
/// and `expiresAt` are touched only under the cache's lock.
final class CacheEntry: @unchecked Sendable {
    let key: CacheKey
    let response: ReceivedResponse
    var expiresAt: UInt64
    var recentlyUsed = false
    /// False once the entry has left the dictionary.
    var isLive = true

    init(key: CacheKey, response: ReceivedResponse, expiresAt: UInt64) {
        self.key = key
        self.response = response
        self.expiresAt = expiresAt
    }
}
