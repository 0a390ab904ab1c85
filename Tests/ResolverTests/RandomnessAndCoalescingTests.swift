import DNSWire
import EventLoop
import Testing
@testable import Resolver

@Suite("Query IDs, source ports, coalescing", .timeLimit(.minutes(3)))
struct RandomnessAndCoalescingTests {
    @Test("over 200 queries, IDs and source ports are neither constant nor sequential")
    func idsAndPorts() async throws {
        let server = try TestDNSServer { query, _ in [.send(TestAnswers.good(query))] }
        let resolver = try AsyncResolver(configuration: testConfiguration([server.address]))
        for index in 0..<200 {
            _ = try await resolver.resolve(try Name(presentation: "q\(index).example.test."), .a)
        }
        let seen = server.queries
        #expect(seen.count == 200)
        let ids = seen.map(\.message.header.id)
        let ports = seen.map(\.from.port)
        // A sanity check, not a statistical test: 200 draws from 2^16 (or 64512) values repeat
        // rarely, and consecutive values differing by one would mean a counter.
        #expect(Set(ids).count > 190)
        #expect(Set(ports).count > 190)
        let sequentialIDs = zip(ids, ids.dropFirst()).filter { $1 == $0 &+ 1 }.count
        let sequentialPorts = zip(ports, ports.dropFirst()).filter { $1 == $0 &+ 1 }.count
        #expect(sequentialIDs < 5)
        #expect(sequentialPorts < 5)
        #expect(ports.allSatisfy { $0 >= 1024 })
        resolver.shutdown()
    }

    @Test("identical questions in flight share one query; every caller gets the answer")
    func coalescing() async throws {
        let server = try TestDNSServer { query, _ in [.send(TestAnswers.good(query))] }
        let thread = try EventLoopThread()
        defer { thread.stopAndJoin() }
        let resolver = StubResolver(loop: thread.loop, configuration: try testConfiguration([server.address]))
        let callers = 25
        let answers: [ResolverAnswer] = await onLoop(thread.loop) { done in
            var collected: [ResolverAnswer] = []
            for _ in 0..<callers {
                resolver.resolve("same.example.test.", .a) { result in
                    if case .success(let answer) = result { collected.append(answer) }
                    if collected.count == callers { done(collected) }
                }
            }
        }
        #expect(answers.count == callers)
        #expect(answers.allSatisfy { TestAnswers.firstA($0.message) == [192, 0, 2, 1] })
        #expect(server.queries.count == 1)
        let statistics: ResolverStatistics = await onLoop(thread.loop) { done in done(resolver.statistics) }
        #expect(statistics.coalesced == callers - 1)
        #expect(statistics.transactions == 1)
        // Now cached: no further query.
        let cached: Bool = await onLoop(thread.loop) { done in
            resolver.resolve("same.example.test.", .a) { done((try? $0.get())?.fromCache == true) }
        }
        #expect(cached)
        #expect(server.queries.count == 1)
    }

    @Test("close() fails the lookups in flight instead of leaving them waiting")
    func closeCancels() async throws {
        let silent = try TestDNSServer { _, _ in [.ignore] }
        let thread = try EventLoopThread()
        defer { thread.stopAndJoin() }
        let resolver = StubResolver(
            loop: thread.loop, configuration: try testConfiguration([silent.address], perServerTimeout: .seconds(10)))
        let code: ResolverError.Code? = await onLoop(thread.loop) { done in
            resolver.resolve("www.example.test.", .a) { result in
                if case .failure(let error) = result { done(error.code) } else { done(nil) }
            }
            resolver.close()
        }
        #expect(code == .cancelled)
    }
}
