import DNSWire
import EventLoop
import Testing
@testable import Resolver

/// The resolver against servers that lie, stall and babble (DESIGN.md rules 4, 10, 11).
@Suite("Misbehaving servers", .timeLimit(.minutes(3)))
struct MisbehavingServerTests {
    @Test("wrong ID, wrong question, another source, not-a-response and garbage are dropped; the real answer wins")
    func dropsForgeries() async throws {
        let server = try TestDNSServer { query, _ in
            var notResponse = forged(query)
            notResponse.header.isResponse = false
            return [
                .send(forged(query, id: query.header.id &+ 1)),
                .send(forged(query, name: "other.example.test.")),
                .send(forged(query, type: .aaaa)),
                .send(notResponse),
                .sendFromOtherAddress(forged(query)),
                .raw([0x12]),
                .raw([UInt8(query.header.id >> 8), UInt8(query.header.id & 0xFF)] + [UInt8](repeating: 0xFF, count: 40)),
                .send(TestAnswers.good(query)),
            ]
        }
        let resolver = try AsyncResolver(configuration: testConfiguration([server.address]))
        // Mixed case in the question: the echoed question matches without regard to case.
        let answer = try await resolver.resolve("WWW.example.TEST.", .a)
        #expect(TestAnswers.firstA(answer.message) == [192, 0, 2, 1])
        #expect(answer.server == server.address)
        #expect(!answer.fromCache)
        let statistics = await resolver.statistics()
        #expect(statistics.droppedMismatched == 4)
        #expect(statistics.droppedWrongSource == 1)
        #expect(statistics.droppedMalformed == 2)
        #expect(statistics.responsesAccepted == 1)
        resolver.shutdown()
    }

    @Test("a server that only forges times out; the next server answers")
    func forgerThenGoodServer() async throws {
        let forger = try TestDNSServer { query, _ in
            [.send(forged(query, id: query.header.id &+ 1)), .sendFromOtherAddress(forged(query))]
        }
        let good = try TestDNSServer { query, _ in [.send(TestAnswers.good(query))] }
        let resolver = try AsyncResolver(
            configuration: testConfiguration([forger.address, good.address], perServerTimeout: .milliseconds(300)))
        let answer = try await resolver.resolve("www.example.test.", .a)
        #expect(TestAnswers.firstA(answer.message) == [192, 0, 2, 1])
        #expect(answer.server == good.address)
        let statistics = await resolver.statistics()
        #expect(statistics.timeouts == 1)
        #expect(statistics.droppedMismatched == 1)
        #expect(statistics.droppedWrongSource == 1)
        #expect(forger.queries.count == 1)
        resolver.shutdown()
    }

    @Test("servers that never answer give a clean timeout after every try, within the budget")
    func silentServers() async throws {
        let first = try TestDNSServer { _, _ in [.ignore] }
        let second = try TestDNSServer { _, _ in [.ignore] }
        let resolver = try AsyncResolver(
            configuration: testConfiguration([first.address, second.address], perServerTimeout: .milliseconds(100),
                                             attempts: 2))
        await #expect(throws: ResolverError.self) { try await resolver.resolve("www.example.test.", .a) }
        do {
            _ = try await resolver.resolve("www.example.test.", .a, options: ResolveOptions(useCache: false))
            Issue.record("silent servers gave an answer on the second lookup")
        } catch {
            #expect(error.code == .timeout)
            #expect(error.reason.contains(first.address.description))
        }
        // Two rounds through both servers, for each of the two lookups.
        #expect(first.queries.count == 4)
        #expect(second.queries.count == 4)
        // Nothing was cached: a failure is not "no records".
        #expect(resolver.cache.count == 0)
        resolver.shutdown()
    }

    @Test("the overall time budget ends a lookup even with tries left")
    func budget() async throws {
        let silent = try TestDNSServer { _, _ in [.ignore] }
        var configuration = try testConfiguration([silent.address], perServerTimeout: .seconds(5), attempts: 3)
        configuration.timeBudget = .milliseconds(150)
        let resolver = try AsyncResolver(configuration: configuration)
        do {
            _ = try await resolver.resolve("www.example.test.", .a)
            Issue.record("a silent server gave an answer")
        } catch {
            #expect(error.code == .timeout)
            #expect(error.reason.contains("time budget"))
        }
        #expect(silent.queries.count == 1)
        resolver.shutdown()
    }

    @Test("only garbage from the server is a malformed-response failure")
    func garbage() async throws {
        let babbler = try TestDNSServer { query, _ in
            [.raw(Array("garbage!".utf8)),
             .raw([UInt8(query.header.id >> 8), UInt8(query.header.id & 0xFF), 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0, 3])]
        }
        let resolver = try AsyncResolver(configuration: testConfiguration([babbler.address], perServerTimeout: .milliseconds(100)))
        do {
            _ = try await resolver.resolve("www.example.test.", .a)
            Issue.record("garbage was accepted")
        } catch {
            #expect(error.code == .malformedResponse)
        }
        #expect(await resolver.statistics().droppedMalformed == 2)
        resolver.shutdown()
    }

    @Test("a truncated UDP answer is asked again over TCP")
    func truncatedThenTCP() async throws {
        let records = (1...60).map { index in
            Record(owner: "big.example.test.", ttl: 300, rdata: TXT(String(repeating: "x", count: 50) + "\(index)"))
        }
        let server = try TestDNSServer { query, overTCP in
            overTCP
                ? [.send(TestAnswers.response(to: query, answers: records))]
                : [.send(TestAnswers.response(to: query, truncated: true))]
        }
        let resolver = try AsyncResolver(configuration: testConfiguration([server.address]))
        let answer = try await resolver.resolve("big.example.test.", .txt)
        #expect(answer.usedTCP)
        #expect(answer.message.answers.count == 60)
        #expect(server.queries.map(\.overTCP) == [false, true])
        #expect(await resolver.statistics().truncatedResponses == 1)
        resolver.shutdown()
    }

    @Test("truncated without TCP (off, or nobody listening) is a truncatedWithoutTCP failure")
    func truncatedWithoutTCP() async throws {
        let udpOnly = try TestDNSServer(tcp: false) { query, _ in [.send(TestAnswers.response(to: query, truncated: true))] }
        let resolver = try AsyncResolver(configuration: testConfiguration([udpOnly.address]))
        do {
            _ = try await resolver.resolve("big.example.test.", .txt)
            Issue.record("a truncated answer was accepted")
        } catch {
            #expect(error.code == .truncatedWithoutTCP)
        }
        resolver.shutdown()

        var noTCP = try testConfiguration([udpOnly.address])
        noTCP.tcpFallback = false
        let strict = try AsyncResolver(configuration: noTCP)
        do {
            _ = try await strict.resolve("big.example.test.", .txt)
            Issue.record("a truncated answer was accepted")
        } catch {
            #expect(error.code == .truncatedWithoutTCP)
        }
        strict.shutdown()
    }

    @Test("a mismatched answer over TCP fails that server")
    func tcpMismatch() async throws {
        let server = try TestDNSServer { query, overTCP in
            overTCP ? [.send(forged(query, id: query.header.id &+ 1))] : [.send(TestAnswers.response(to: query, truncated: true))]
        }
        let resolver = try AsyncResolver(configuration: testConfiguration([server.address]))
        do {
            _ = try await resolver.resolve("big.example.test.", .txt)
            Issue.record("a mismatched TCP answer was accepted")
        } catch {
            #expect(error.code == .truncatedWithoutTCP)
            #expect(error.reason.contains("does not match"))
        }
        resolver.shutdown()
    }

    @Test("SERVFAIL and REFUSED move on to the next server; all failing keeps the RCODE")
    func serverFailures() async throws {
        let failing = try TestDNSServer { query, _ in [.send(TestAnswers.response(to: query, rcode: .servFail))] }
        let refusing = try TestDNSServer { query, _ in [.send(TestAnswers.response(to: query, rcode: .refused))] }
        let good = try TestDNSServer { query, _ in [.send(TestAnswers.good(query))] }

        let resolver = try AsyncResolver(configuration: testConfiguration([failing.address, refusing.address, good.address]))
        let answer = try await resolver.resolve("www.example.test.", .a)
        #expect(answer.server == good.address)
        #expect(await resolver.statistics().serverFailures == 2)
        resolver.shutdown()

        let hopeless = try AsyncResolver(configuration: testConfiguration([failing.address, refusing.address]))
        do {
            _ = try await hopeless.resolve("www.example.test.", .a)
            Issue.record("SERVFAIL/REFUSED became an answer")
        } catch {
            #expect(error.code == .allServersFailed)
            #expect(error.rcode == .refused)
            #expect(error.reason.contains("SERVFAIL"))
        }
        hopeless.shutdown()
    }

    @Test("NXDOMAIN is an answer, not a failure, and is cached by its SOA")
    func nxdomain() async throws {
        let server = try TestDNSServer { query, _ in
            [.send(TestAnswers.response(to: query, rcode: .nxDomain, authority: [TestAnswers.soa(ttl: 3600, minimum: 60)]))]
        }
        let resolver = try AsyncResolver(configuration: testConfiguration([server.address]))
        let first = try await resolver.resolve("nx.example.test.", .a)
        #expect(first.isNameError)
        #expect(first.remainingTTL == 60)
        let second = try await resolver.resolve("nx.example.test.", .a)
        #expect(second.fromCache)
        #expect(second.isNameError)
        #expect(server.queries.count == 1)
        resolver.shutdown()
    }

    @Test("DO and CD are sent when asked, with the configured EDNS payload size")
    func queryFlags() async throws {
        let server = try TestDNSServer { query, _ in [.send(TestAnswers.good(query))] }
        let resolver = try AsyncResolver(configuration: testConfiguration([server.address]))
        _ = try await resolver.resolve("a.example.test.", .a, options: .validatorFetch)
        _ = try await resolver.resolve("b.example.test.", .a, options: ResolveOptions(dnssecOK: false))
        let seen = server.queries.map(\.message)
        #expect(seen.count == 2)
        #expect(seen[0].edns?.dnssecOK == true)
        #expect(seen[0].header.checkingDisabled)
        #expect(seen[0].header.recursionDesired)
        #expect(seen[0].edns?.udpPayloadSize == 1232)
        #expect(seen[1].edns?.dnssecOK == false)
        #expect(!seen[1].header.checkingDisabled)
        resolver.shutdown()
    }
}

/// A response to `query` that must never be accepted: it carries 6.6.6.6.
func forged(_ query: Message, id: UInt16? = nil, name: Name? = nil, type: RRType? = nil) -> Message {
    var forged = TestAnswers.response(to: query, answers: [Record(owner: query.questions[0].name, ttl: 300, rdata: A(6, 6, 6, 6))])
    if let id { forged.header.id = id }
    if let name { forged.questions[0].name = name }
    if let type { forged.questions[0].type = type }
    return forged
}


