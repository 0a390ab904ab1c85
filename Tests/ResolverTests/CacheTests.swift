import DNSWire
import EventLoop
import Testing
@testable import Resolver

@Suite("Cache")
struct CacheTests {
    let server: SocketAddress

    init() throws {
        server = try SocketAddress(host: "127.0.0.1", port: 53)
    }

    func query(_ name: Name, _ type: RRType = .a) -> Message {
        Message.query(id: 1, name: name, type: type)
    }

    func key(_ name: Name, _ type: RRType = .a, options: ResolveOptions = ResolveOptions()) -> CacheKey {
        CacheKey(name: name, type: type, options: options)
    }

    @Test("a positive answer lives for its smallest TTL and is gone after it")
    func positiveTTL() {
        let clock = ManualClock()
        let cache = ResolverCache(clock: clock.resolverClock)
        let q = query("www.example.test.")
        var answer = TestAnswers.good(q, ttl: 300)
        answer.answers.append(Record(owner: "www.example.test.", ttl: 120, rdata: A(192, 0, 2, 2)))
        #expect(cache.store(key("www.example.test."), message: answer, server: server) == 120)
        // Name case does not matter (RFC 4343).
        #expect(cache.lookup(key("WWW.Example.TEST."))?.remainingSeconds == 120)
        clock.advance(seconds: 119)
        #expect(cache.lookup(key("www.example.test."))?.remainingSeconds == 1)
        clock.advance(seconds: 1)
        #expect(cache.lookup(key("www.example.test.")) == nil)
        #expect(cache.count == 0)
        #expect(cache.statistics.expirations == 1)
    }

    @Test("NXDOMAIN is cached for min(SOA TTL, SOA MINIMUM) (RFC 2308 §5)")
    func negativeNXDOMAIN() {
        let clock = ManualClock()
        let cache = ResolverCache(clock: clock.resolverClock)
        let q = query("nx.example.test.")
        let nx = TestAnswers.response(to: q, rcode: .nxDomain, authority: [TestAnswers.soa(ttl: 3600, minimum: 60)])
        #expect(cache.store(key("nx.example.test."), message: nx, server: server) == 60)
        let other = TestAnswers.response(to: q, rcode: .nxDomain, authority: [TestAnswers.soa(ttl: 30, minimum: 900)])
        #expect(cache.store(key("nx2.example.test."), message: other, server: server) == 30)
        #expect(cache.lookup(key("nx.example.test."))?.entry.response.message.rcode == .nxDomain)
        clock.advance(seconds: 60)
        #expect(cache.lookup(key("nx.example.test.")) == nil)
    }

    @Test("NODATA is cached from its SOA; negative answers without SOA and failures are not cached")
    func negativeNoData() {
        let cache = ResolverCache(clock: ManualClock().resolverClock)
        let q = query("www.example.test.", .aaaa)
        let noData = TestAnswers.response(to: q, authority: [TestAnswers.soa(ttl: 600, minimum: 300)])
        #expect(cache.store(key("www.example.test.", .aaaa), message: noData, server: server) == 300)
        let noSOA = TestAnswers.response(to: q)
        #expect(cache.store(key("a.example.test.", .aaaa), message: noSOA, server: server) == nil)
        let servfail = TestAnswers.response(to: q, rcode: .servFail)
        #expect(cache.store(key("b.example.test.", .aaaa), message: servfail, server: server) == nil)
        let zeroTTL = TestAnswers.good(query("c.example.test."), ttl: 0)
        #expect(cache.store(key("c.example.test."), message: zeroTTL, server: server) == nil)
        #expect(cache.count == 1)
    }

    @Test("DO and CD are part of the key")
    func flagsInKey() {
        let cache = ResolverCache(clock: ManualClock().resolverClock)
        let answer = TestAnswers.good(query("www.example.test."))
        cache.store(key("www.example.test.", options: .validatorFetch), message: answer, server: server)
        #expect(cache.lookup(key("www.example.test.")) == nil)
        #expect(cache.lookup(key("www.example.test.", options: ResolveOptions(dnssecOK: false))) == nil)
        #expect(cache.lookup(key("www.example.test.", options: .validatorFetch)) != nil)
    }

    @Test("a lifetime cap (RRSIG expiry from the validator) shortens an entry")
    func lifetimeCap() {
        let clock = ManualClock()
        let cache = ResolverCache(maxTTL: 1000, clock: clock.resolverClock)
        let answer = TestAnswers.good(query("www.example.test."), ttl: 86400)
        #expect(cache.store(key("www.example.test."), message: answer, server: server) == 1000)
        #expect(cache.store(key("w2.example.test."), message: answer, server: server, lifetimeCap: 50) == 50)
        cache.limitLifetime(of: key("www.example.test."), toSeconds: 10)
        #expect(cache.lookup(key("www.example.test."))?.remainingSeconds == 10)
        clock.advance(seconds: 10)
        #expect(cache.lookup(key("www.example.test.")) == nil)
        #expect(cache.lookup(key("w2.example.test.")) != nil)
    }

    @Test("the size bound evicts the entries not used recently")
    func sizeBound() throws {
        let cache = ResolverCache(capacity: 3, clock: ManualClock().resolverClock)
        let names: [Name] = ["a.test.", "b.test.", "c.test.", "d.test.", "e.test."]
        for (index, name) in names.enumerated() {
            cache.store(key(name), message: TestAnswers.good(query(name)), server: server)
            if index == 2 {
                // a was just used: c and b go before it.
                #expect(cache.lookup(key("a.test.")) != nil)
            }
        }
        #expect(cache.count == 3)
        #expect(cache.statistics.evictions == 2)
        #expect(cache.lookup(key("a.test.")) != nil)
        #expect(cache.lookup(key("b.test.")) == nil)
        #expect(cache.lookup(key("d.test.")) != nil)
        #expect(cache.lookup(key("e.test.")) != nil)
    }

    @Test("many stores stay bounded (queue compaction)")
    func manyStores() throws {
        let cache = ResolverCache(capacity: 50, clock: ManualClock().resolverClock)
        for index in 0..<2000 {
            let name = try Name(presentation: "n\(index).test.")
            cache.store(key(name), message: TestAnswers.good(query(name)), server: server)
            if index % 3 == 0 { _ = cache.lookup(key(name)) }
        }
        #expect(cache.count == 50)
    }
}
