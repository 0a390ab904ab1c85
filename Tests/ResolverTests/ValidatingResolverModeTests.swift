import DNSWire
import EventLoop
import Foundation
import Testing
import TestSupport
@testable import Resolver

/// The validated-answer cache, the trust-AD mode and failed lookups, over the same hierarchy.
@Suite("Validating resolver: cache and trust modes", .timeLimit(.minutes(2)))
struct ValidatingResolverModeTests {
    func validatingResolver(_ hierarchy: SignedHierarchy, clock: ResolverClock = .monotonic) throws -> ValidatingResolver {
        let upstream = try AsyncResolver(configuration: testConfiguration(
            [try SocketAddress(host: hierarchy.resolverAddress, port: 53)], perServerTimeout: .seconds(5), attempts: 2))
        return ValidatingResolver(
            resolver: upstream, anchors: try TrustAnchorFile.load(path: hierarchy.anchorFile), clock: clock)
    }

    @Test("A warm lookup comes from the cache, no longer than min(TTL, RRSIG expiry)")
    func warmCache() async throws {
        let hierarchy = try SignedHierarchy.get()
        let clock = ManualClock()
        let resolver = try validatingResolver(hierarchy, clock: clock.resolverClock)
        defer { resolver.shutdown() }
        let cold = await resolver.resolve("_443._tcp.www.example.test.", .tlsa)
        #expect(cold.status.isSecure, "\(cold)")
        #expect(!cold.fromCache)
        let lifetime = try #require(cold.remainingTTL)
        // The TLSA TTL is 3600; the signatures last weeks, so the TTL bounds it.
        #expect(lifetime > 0 && lifetime <= 3600)
        #expect(cold.chain.map(\.zone.presentation) == [".", "test.", "example.test."])

        let warm = await resolver.resolve("_443._tcp.www.example.test.", .tlsa)
        #expect(warm.fromCache)
        #expect(warm.status == cold.status)
        #expect(warm.records.map(\.presentation) == cold.records.map(\.presentation))
        #expect(warm.chain == cold.chain)

        // Past the lifetime the answer is fetched and validated again.
        clock.advance(seconds: UInt64(lifetime) + 1)
        let again = await resolver.resolve("_443._tcp.www.example.test.", .tlsa)
        #expect(!again.fromCache)
        #expect(again.status.isSecure)
    }

    @Test("A bogus verdict is cached only for the short bogus lifetime")
    func bogusLifetime() async throws {
        let hierarchy = try SignedHierarchy.get()
        let resolver = try validatingResolver(hierarchy)
        defer { resolver.shutdown() }
        let bogus = await resolver.resolve("tampered.bogus.test.", .a)
        #expect(bogus.status.isBogus)
        #expect(bogus.remainingTTL == resolver.configuration.bogusLifetime)
        let again = await resolver.resolve("tampered.bogus.test.", .a)
        #expect(again.fromCache && again.status.isBogus && again.records.isEmpty)
    }

    /// Issue 9, hole 6: the raw response of a bogus answer does not stay in the stub cache for
    /// its TTL (where the next lookup would take the same forgery again); only the verdict is
    /// kept, for the bogus lifetime.
    @Test("A response that failed validation leaves the stub cache at once")
    func bogusResponseLeavesTheStubCache() async throws {
        let hierarchy = try SignedHierarchy.get()
        let upstream = try AsyncResolver(configuration: testConfiguration(
            [try SocketAddress(host: hierarchy.resolverAddress, port: 53)], perServerTimeout: .seconds(5), attempts: 2))
        let resolver = ValidatingResolver(resolver: upstream, anchors: try TrustAnchorFile.load(path: hierarchy.anchorFile))
        defer { resolver.shutdown() }
        let bogus = await resolver.resolve("tampered.bogus.test.", .a)
        #expect(bogus.status.isBogus)
        #expect(upstream.cache.lookup(CacheKey(name: "tampered.bogus.test.", type: .a, options: .validatorFetch)) == nil)
        let secure = await resolver.resolve("_443._tcp.www.example.test.", .tlsa)
        #expect(secure.status.isSecure)
        let raw = upstream.cache.lookup(CacheKey(name: "_443._tcp.www.example.test.", type: .tlsa, options: .validatorFetch))
        #expect(raw != nil && (raw?.remainingSeconds ?? .max) <= (secure.remainingTTL ?? 0))
    }

    /// The same for the chain: a bogus verdict caused by a key set that no DS vouches for
    /// (badds.test.) leaves no DS or DNSKEY response of the way in the stub cache.
    @Test("The DS and DNSKEY responses of a failed validation leave the stub cache at once")
    func bogusChainLeavesTheStubCache() async throws {
        let hierarchy = try SignedHierarchy.get()
        let upstream = try AsyncResolver(configuration: testConfiguration(
            [try SocketAddress(host: hierarchy.resolverAddress, port: 53)], perServerTimeout: .seconds(5), attempts: 2))
        let resolver = ValidatingResolver(resolver: upstream, anchors: try TrustAnchorFile.load(path: hierarchy.anchorFile))
        defer { resolver.shutdown() }
        let bogus = await resolver.resolve("www.badds.test.", .a)
        #expect(bogus.status.isBogus, "\(bogus)")
        for type in [RRType.ds, .dnskey] {
            #expect(upstream.cache.lookup(CacheKey(name: "badds.test.", type: type, options: .validatorFetch)) == nil, "\(type)")
        }
        // A secure lookup keeps its chain cached.
        let secure = await resolver.resolve("www.a13.test.", .a)
        #expect(secure.status.isSecure, "\(secure)")
        #expect(upstream.cache.lookup(CacheKey(name: "a13.test.", type: .dnskey, options: .validatorFetch)) != nil)
    }

    @Test("A failed lookup is indeterminate, never an empty answer")
    func failedLookupIsIndeterminate() async throws {
        let hierarchy = try SignedHierarchy.get()
        // Nothing listens on this port: the lookup fails.
        let port = try freeLoopbackPort()
        let upstream = try AsyncResolver(configuration: testConfiguration(
            [try SocketAddress(host: "127.0.0.1", port: port)], perServerTimeout: .milliseconds(300), attempts: 1))
        let resolver = ValidatingResolver(resolver: upstream, anchors: try TrustAnchorFile.load(path: hierarchy.anchorFile))
        defer { resolver.shutdown() }
        let answer = await resolver.resolve("_443._tcp.www.example.test.", .tlsa)
        #expect(answer.status.isIndeterminate, "\(answer)")
        #expect(answer.records.isEmpty)
        #expect(!answer.isNoData)
        #expect(answer.extendedDNSError != nil)
    }

    @Test("Iterating toward a root server that does not answer is indeterminate")
    func iteratingFailureIsIndeterminate() async throws {
        let hierarchy = try SignedHierarchy.get()
        let port = try freeLoopbackPort()
        let fetcher = try IteratingFetcher(
            rootServers: [try SocketAddress(host: "127.0.0.1", port: port)], perServerTimeout: .milliseconds(300))
        let resolver = ValidatingResolver(iterating: fetcher, anchors: try TrustAnchorFile.load(path: hierarchy.anchorFile))
        defer { resolver.shutdown() }
        let answer = await resolver.resolve("www.test.", .a)
        #expect(answer.status.isIndeterminate, "\(answer)")
        #expect(answer.records.isEmpty && answer.rcode == nil)
    }

    @Test("Trust-AD mode: AD from the loopback Unbound is secure, SERVFAIL indeterminate, unsigned insecure")
    func trustAD() async throws {
        let hierarchy = try SignedHierarchy.get()
        let resolver = try TrustADResolver(configuration: testConfiguration(
            [try SocketAddress(host: hierarchy.resolverAddress, port: 53)], perServerTimeout: .seconds(5), attempts: 1))
        defer { resolver.resolver.shutdown() }
        let secure = await resolver.resolve("_443._tcp.alias.example.test.", .tlsa)
        #expect(secure.status.isSecure, "\(secure)")
        #expect(secure.names.map(\.presentation) == ["_443._tcp.alias.example.test.", "_443._tcp.www.a15.test."])
        let bogus = await resolver.resolve("expired.bogus.test.", .a)
        #expect(bogus.status.isIndeterminate, "\(bogus)")
        #expect(bogus.records.isEmpty)
        let insecure = await resolver.resolve("www.insecure.test.", .a)
        #expect(insecure.status.isInsecure, "\(insecure)")
        #expect(!insecure.records(ofType: .a).isEmpty)
    }

    @Test("Trust-AD mode refuses a resolver that is not on loopback")
    func trustADNeedsLoopback() throws {
        #expect(throws: ResolverError.self) {
            _ = try TrustADResolver(configuration: ResolverConfiguration(serverStrings: ["192.0.2.1"]))
        }
    }

    @Test("Trust anchors load from the zone-file and the BIND form alike")
    func anchorForms() throws {
        let hierarchy = try SignedHierarchy.get()
        let zoneFile = try TrustAnchorFile.load(path: hierarchy.anchorFile)
        let bind = try TrustAnchorFile.load(path: hierarchy.bindAnchorFile)
        #expect(zoneFile.closest(to: "www.test.")?.dnskeys == bind.closest(to: "www.test.")?.dnskeys)
        #expect(throws: ResolverError.self) { _ = try TrustAnchorFile.load(path: hierarchy.directory.file("missing.key")) }
    }
}
