import DNSWire
import EventLoop
import Testing
@testable import Resolver

@Suite("trust-ad")
struct TrustADTests {
    @Test("loopback addresses are 127.0.0.0/8 and ::1 only")
    func loopback() throws {
        for text in ["127.0.0.1", "127.53.0.1:5353", "[::1]:53", "::ffff:127.0.0.1"] {
            #expect(try NameServerAddress.parse(text).isLoopback, "\(text)")
        }
        for text in ["192.0.2.1", "10.0.0.1", "[2001:db8::1]:53", "::", "128.0.0.1"] {
            #expect(try !NameServerAddress.parse(text).isLoopback, "\(text)")
        }
    }

    @Test("trust-ad with a non-loopback server says so at configuration time")
    func warnsForRemoteServer() throws {
        var configuration = try ResolverConfiguration(serverStrings: ["127.0.0.1", "192.0.2.53"])
        let warnings = configuration.setTrustAD(true)
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("192.0.2.53") == true)
        #expect(throws: ResolverError.self) { try configuration.requireTrustAD() }

        var local = try ResolverConfiguration(serverStrings: ["127.0.0.1:5353", "[::1]:53"])
        try local.requireTrustAD()
        #expect(local.trustAD)
        #expect(local.trustADWarnings.isEmpty)
    }

    /// Answers with AD come from the cache, stored as if from each server, so the rule is
    /// checked for a remote server without one.
    @Test("AD is trusted only in trust-ad mode and only from a loopback server")
    func trustsOnlyLoopback() async throws {
        let remote = try NameServerAddress.parse("192.0.2.53")
        let local = try NameServerAddress.parse("127.0.0.1")
        let cache = ResolverCache(clock: ManualClock().resolverClock)
        let options = ResolveOptions()
        for (name, server) in [("remote.test.", remote), ("local.test.", local)] {
            let n = try Name(presentation: name)
            let q = Message.query(id: 1, name: n, type: .a)
            let answer = TestAnswers.response(to: q, answers: [TestAnswers.a(q, 1)], authenticData: true)
            cache.store(CacheKey(name: n, type: .a, options: options), message: answer, server: server)
        }
        var trusting = try ResolverConfiguration(servers: [remote, local])
        trusting.setTrustAD(true)
        let plain = try ResolverConfiguration(servers: [remote, local])

        for (configuration, expectLocalTrusted) in [(trusting, true), (plain, false)] {
            let resolver = try AsyncResolver(configuration: configuration, cache: cache)
            let fromRemote = try await resolver.resolve("remote.test.", .a)
            #expect(fromRemote.fromCache)
            #expect(fromRemote.authenticData)
            #expect(!fromRemote.authenticDataTrusted)
            let fromLocal = try await resolver.resolve("local.test.", .a)
            #expect(fromLocal.authenticData)
            #expect(fromLocal.authenticDataTrusted == expectLocalTrusted)
            resolver.shutdown()
        }
    }
}
