import DANE
import DNSSEC
import DNSWire
import Foundation
import Gateway
import Testing

/// A lookup source that counts its lookups, answers what the test set, and can hold every
/// answer until released (to keep lookups in flight).
private final class CountingSource: SecureLookupSource, @unchecked Sendable {
    private let lock = NSLock()
    private var calls = 0
    private var held = true
    var answer: SecureLookup
    var mode: String { "test" }

    init(_ answer: SecureLookup, held: Bool = false) {
        self.answer = answer
        self.held = held
    }

    var count: Int { lock.withLock { calls } }
    func release() { lock.withLock { held = false } }

    func lookup(_ name: Name, _ type: RRType) async -> SecureLookup {
        lock.withLock { calls += 1 }
        while lock.withLock({ held }) { try? await Task.sleep(for: .milliseconds(5)) }
        return lock.withLock { answer }
    }
}

/// A clock the test moves by hand.
private final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now = ContinuousClock.now
    func read() -> ContinuousClock.Instant { lock.withLock { now } }
    func advance(_ duration: Duration) { lock.withLock { now += duration } }
}

@Suite struct SharedLookupCacheTests {
    static let name: Name = "_443._tcp.www.example"
    static func secure(ttl: UInt32) -> SecureLookup { .answered(ValidationResult(status: .secure, ttl: ttl)) }

    @Test func secureAnswerIsKeptForItsTTLAndNoLonger() async {
        let clock = TestClock()
        let source = CountingSource(Self.secure(ttl: 100))
        let cache = SharedLookupCache(source, clock: clock.read)
        _ = await cache.lookup(Self.name, .tlsa)
        clock.advance(.seconds(50))
        _ = await cache.lookup(Self.name, .tlsa)
        #expect(source.count == 1)
        // Rule 10: past min(TTL, RRSIG expiry) (the validator's `ttl`) it is asked again.
        clock.advance(.seconds(51))
        _ = await cache.lookup(Self.name, .tlsa)
        #expect(source.count == 2)
        #expect(cache.statistics.hits == 1)
        #expect(cache.statistics.misses == 2)
        // TLSA questions are what the metrics count; other types are not.
        _ = await cache.lookup("www.example", .a)
        #expect(cache.statistics.tlsaHits == 1 && cache.statistics.tlsaMisses == 2)
        #expect(cache.statistics.misses == 3)
        let metrics = GatewayMetrics(version: "test")
        metrics.countTLSALookups { (Int(cache.statistics.tlsaHits), Int(cache.statistics.tlsaMisses)) }
        clock.advance(.seconds(1))
        _ = await cache.lookup(Self.name, .tlsa)
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        #expect(text.contains("danegate_tlsa_cache_hits_total 1"), "\(text)")
    }

    @Test func failedLookupIsNeverKept() async {
        // Rule 4: a failed lookup is not "no TLSA", and the next client asks again.
        let source = CountingSource(.failed("timeout", timedOut: true))
        let cache = SharedLookupCache(source)
        for _ in 0..<3 { _ = await cache.lookup(Self.name, .tlsa) }
        #expect(source.count == 3)
        #expect(cache.statistics.hits == 0)
    }

    @Test func bogusAnswerIsNeverKept() async {
        let bogus = SecureLookup.answered(
            ValidationResult(status: .bogus(ValidationReason(.dnssecBogus, "test")), ttl: 300))
        let source = CountingSource(bogus)
        let cache = SharedLookupCache(source)
        for _ in 0..<2 { _ = await cache.lookup(Self.name, .tlsa) }
        #expect(source.count == 2)
    }

    @Test func identicalLookupsInFlightAreAskedOnce() async {
        let source = CountingSource(Self.secure(ttl: 300), held: true)
        let cache = SharedLookupCache(source)
        async let first = cache.lookup(Self.name, .tlsa)
        async let second = cache.lookup(Self.name, .tlsa)
        async let third = cache.lookup(Self.name, .tlsa)
        while cache.statistics.misses < 3 { try? await Task.sleep(for: .milliseconds(5)) }
        source.release()
        _ = await (first, second, third)
        #expect(source.count == 1)
        #expect(cache.statistics.coalesced == 2)
    }

    @Test func answerInUseIsRefreshedBeforeItExpires() async {
        let clock = TestClock()
        let source = CountingSource(Self.secure(ttl: 100))
        let cache = SharedLookupCache(source, clock: clock.read)
        _ = await cache.lookup(Self.name, .tlsa)
        // The last tenth of its life: answered from the cache at once, refreshed behind it.
        clock.advance(.seconds(95))
        let answer = await cache.lookup(Self.name, .tlsa)
        guard case .answered = answer else {
            Issue.record("the cached answer was not returned")
            return
        }
        await cache.waitForFetchesInFlight()
        #expect(source.count == 2)
        #expect(cache.statistics.prefetches == 1)
        // The refreshed answer lives a full TTL from the refresh: still a hit past the old expiry.
        clock.advance(.seconds(10))
        _ = await cache.lookup(Self.name, .tlsa)
        #expect(source.count == 2)
        #expect(cache.statistics.misses == 1)
        #expect(cache.statistics.hits == 2)
    }

    @Test func differentTypesAreDifferentEntries() async {
        let source = CountingSource(Self.secure(ttl: 300))
        let cache = SharedLookupCache(source)
        _ = await cache.lookup(Self.name, .tlsa)
        _ = await cache.lookup(Self.name, .a)
        _ = await cache.lookup("_443._TCP.WWW.example", .tlsa)
        #expect(source.count == 2)
    }
}
