import DNSWire
import EventLoop
import Testing
@testable import Resolver

@Suite("IPv6, rotation, shared cache", .timeLimit(.minutes(3)))
struct MoreResolverTests {
    @Test("over IPv6 (::1), an answer from the right address but another port is dropped")
    func ipv6WrongPort() async throws {
        let server = try TestDNSServer(host: "::1", otherHost: "::1") { query, _ in
            [.sendFromOtherAddress(forged(query)), .send(TestAnswers.good(query))]
        }
        #expect(server.address.family == .ipv6)
        let resolver = try AsyncResolver(configuration: testConfiguration([server.address]))
        let answer = try await resolver.resolve("www.example.test.", .a)
        #expect(TestAnswers.firstA(answer.message) == [192, 0, 2, 1])
        #expect(await resolver.statistics().droppedWrongSource == 1)
        resolver.shutdown()
    }

    @Test("with rotate, each lookup starts at the next server")
    func rotation() async throws {
        let first = try TestDNSServer { query, _ in [.send(TestAnswers.good(query))] }
        let second = try TestDNSServer { query, _ in [.send(TestAnswers.good(query))] }
        var configuration = try testConfiguration([first.address, second.address])
        configuration.rotate = true
        let resolver = try AsyncResolver(configuration: configuration)
        for index in 0..<4 {
            let answer = try await resolver.resolve(try Name(presentation: "r\(index).example.test."), .a)
            #expect(answer.server == (index % 2 == 0 ? first.address : second.address))
        }
        #expect(first.queries.count == 2)
        #expect(second.queries.count == 2)
        resolver.shutdown()
    }

    @Test("two resolvers on two loops share one cache")
    func sharedCache() async throws {
        let server = try TestDNSServer { query, _ in [.send(TestAnswers.good(query))] }
        let cache = ResolverCache()
        let one = try AsyncResolver(configuration: testConfiguration([server.address]), cache: cache)
        let two = try AsyncResolver(configuration: testConfiguration([server.address]), cache: cache)
        let fresh = try await one.resolve("shared.example.test.", .a)
        let cached = try await two.resolve("shared.example.test.", .a)
        #expect(!fresh.fromCache)
        #expect(cached.fromCache)
        #expect(server.queries.count == 1)
        one.shutdown()
        two.shutdown()
    }

    @Test("stores and lookups from many threads at once keep the cache consistent")
    func concurrentCache() async throws {
        let cache = ResolverCache(capacity: 100)
        let server = try SocketAddress(host: "127.0.0.1", port: 53)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for index in 0..<2000 {
                        guard let name = try? Name(presentation: "w\(worker)-\(index % 300).test.") else {
                            Issue.record("w\(worker)-\(index % 300).test. does not parse")
                            return
                        }
                        let key = CacheKey(name: name, type: .a, options: ResolveOptions())
                        if cache.lookup(key) == nil {
                            cache.store(key, message: TestAnswers.good(Message.query(id: 1, name: name, type: .a)),
                                        server: server)
                        }
                    }
                }
            }
        }
        #expect(cache.count <= 100)
        let statistics = cache.statistics
        #expect(statistics.hits + statistics.misses == 8000)
    }

    @Test("0x20: the query name goes out in random case and must come back exactly so")
    func dns0x20() async throws {
        let echoing = try TestDNSServer { query, _ in [.send(TestAnswers.good(query))] }
        let lowering = try TestDNSServer { query, _ in
            var lowered = query
            lowered.questions[0].name = query.questions[0].name.lowercased()
            return [.send(TestAnswers.good(lowered))]
        }
        var configuration = try testConfiguration([echoing.address], perServerTimeout: .milliseconds(150))
        configuration.randomizeNameCase = true
        let resolver = try AsyncResolver(configuration: configuration)
        for index in 0..<8 {
            _ = try await resolver.resolve(try Name(presentation: "case\(index).example.test."), .a)
        }
        let sent = echoing.queries.map { $0.message.questions[0].name.presentation }
        #expect(sent.contains { $0 != $0.lowercased() })
        #expect(Set(sent.map { $0.lowercased() }).count == 8)
        resolver.shutdown()

        var strict = try testConfiguration([lowering.address], perServerTimeout: .milliseconds(150))
        strict.randomizeNameCase = true
        let strictResolver = try AsyncResolver(configuration: strict)
        do {
            _ = try await strictResolver.resolve("abcdefghijklmnop.example.test.", .a)
            Issue.record("an answer that lost the 0x20 case was accepted")
        } catch {
            #expect(error.code == .timeout)
        }
        #expect(await strictResolver.statistics().droppedMismatched == 1)
        strictResolver.shutdown()
    }
}
