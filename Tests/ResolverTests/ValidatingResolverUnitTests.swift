import DNSSEC
import DNSWire
import Foundation
import Testing
@testable import Resolver

/// The parts of the validating resolver that need no network: the answer cache, the chain
/// prefetcher, trust-anchor files, trust-AD name chains.
@Suite("Validating resolver parts")
struct ValidatingResolverUnitTests {
    static let rootAnchor = ". IN DNSKEY 257 3 13 LSl0/ngaMuCAg3UqngFNn1WzPRVh+5J1E9KVeKVp7UDppmZ4gqnntRFXNtERfIxiwOrUBweKxwYAMaM6LqS2Aw==\n"

    @Test("The answer cache keeps an answer until its deadline, then drops it")
    func answerCacheExpiry() {
        let clock = ManualClock()
        let cache = ValidatedAnswerCache(capacity: 10, clock: clock.resolverClock)
        let key = ValidatedAnswerCache.Key(name: "www.example.test.", type: .a)
        let answer = ValidatedAnswer(
            question: Question(name: "www.example.test.", type: .a), rcode: .noError, rrsets: [], status: .secure)
        cache.store(answer, for: key, seconds: 30)
        let hit = cache.lookup(ValidatedAnswerCache.Key(name: "WWW.Example.TEST.", type: .a))
        #expect(hit?.fromCache == true)
        #expect(hit?.remainingTTL == 30)
        #expect(cache.lookup(ValidatedAnswerCache.Key(name: "www.example.test.", type: .aaaa)) == nil)
        clock.advance(seconds: 29)
        #expect(cache.lookup(key)?.remainingTTL == 1)
        clock.advance(seconds: 1)
        #expect(cache.lookup(key) == nil)
        #expect(cache.count == 0)
    }

    @Test("The answer cache stays within its capacity")
    func answerCacheCapacity() {
        let clock = ManualClock()
        let cache = ValidatedAnswerCache(capacity: 3, clock: clock.resolverClock)
        for index in 0..<10 {
            let name = try? Name(presentation: "h\(index).example.test.")
            guard let name else { continue }
            let answer = ValidatedAnswer(question: Question(name: name, type: .a), rcode: .noError, rrsets: [], status: .secure)
            cache.store(answer, for: ValidatedAnswerCache.Key(name: name, type: .a), seconds: 60)
            #expect(cache.count <= 3)
        }
        cache.store(
            ValidatedAnswer(question: Question(name: "x.test.", type: .a), rcode: .noError, rrsets: [], status: .secure),
            for: ValidatedAnswerCache.Key(name: "x.test.", type: .a), seconds: 0)
        #expect(cache.lookup(ValidatedAnswerCache.Key(name: "x.test.", type: .a)) == nil)
    }

    @Test("The prefetcher asks for every DS and DNSKEY below what it knows, skipping _-labels")
    func prefetchQuestions() throws {
        let clock = ManualClock()
        let prefetcher = ChainPrefetcher(clock: clock.resolverClock)
        let anchors = try TrustAnchorFile.parse(Self.rootAnchor, fileName: "root.key")
        func describe(_ questions: [(Name, RRType)]) -> [String] { questions.map { "\($0.0.presentation) \($0.1)" } }

        let cold = describe(prefetcher.questions(for: "_443._tcp.www.example.test.", anchors: anchors))
        #expect(cold == [
            ". DNSKEY", "test. DS", "test. DNSKEY", "example.test. DS", "example.test. DNSKEY",
            "www.example.test. DS", "www.example.test. DNSKEY",
        ])
        prefetcher.learn(zones: [(.root, false), ("test.", false), ("example.test.", false)], seconds: 60)
        let warm = describe(prefetcher.questions(for: "_443._tcp.www.example.test.", anchors: anchors))
        #expect(warm == ["www.example.test. DS", "www.example.test. DNSKEY"])

        prefetcher.learn(zones: [("insecure.test.", true)], seconds: 60)
        #expect(prefetcher.questions(for: "a.b.insecure.test.", anchors: anchors).isEmpty)

        clock.advance(seconds: 61)
        #expect(describe(prefetcher.questions(for: "www.test.", anchors: anchors)) == [". DNSKEY", "test. DS", "test. DNSKEY"])
    }

    @Test("Trust-anchor text in zone-file and BIND form; garbage is a configuration error")
    func trustAnchorText() throws {
        let zoneForm = try TrustAnchorFile.parse(Self.rootAnchor, fileName: "root.key")
        let bindForm = try TrustAnchorFile.parse(
            "trust-anchors {\n  . static-key 257 3 13 \"LSl0/ngaMuCAg3UqngFNn1WzPRVh+5J1E9KVeKVp7UDppmZ4gqnntRFXNtERfIxiwOrUBweKxwYAMaM6LqS2Aw==\";\n};\n",
            fileName: "anchors.conf")
        #expect(zoneForm.closest(to: "a.b.")?.dnskeys.count == 1)
        #expect(zoneForm.closest(to: "a.b.")?.dnskeys == bindForm.closest(to: "a.b.")?.dnskeys)
        #expect(throws: ResolverError.self) { _ = try TrustAnchorFile.parse("not a key", fileName: "bad.key") }
        #expect(throws: ResolverError.self) { _ = try TrustAnchorFile.load(path: "/nonexistent/root.key") }
    }

    /// Issue 9, hole 6: the records of a type are those at the end of the chain, not any
    /// record of that type in the answer.
    @Test("records(ofType:) reads the owner at the end of the chain only")
    func recordsOfTypeFiltersByOwner() {
        let question = Question(name: "www.example.test.", type: .a)
        let message = Message(questions: [question], answers: [
            Record(owner: "www.example.test.", ttl: 60, rdata: CNAME("edge.example.test.")),
            Record(owner: "edge.example.test.", ttl: 60, rdata: A(192, 0, 2, 1)),
            Record(owner: "stray.example.test.", ttl: 60, rdata: A(203, 0, 113, 66)),
        ])
        let result = ValidationResult.trustingAuthenticatedData(message, for: question, status: .secure)
        let answer = ValidatedAnswer(
            question: question, rcode: .noError, rrsets: result.rrsets, status: result.status, names: result.names)
        #expect(answer.records(ofType: .a).map(\.owner) == ["edge.example.test."])
        #expect(answer.records(ofType: .cname).isEmpty)
        #expect(!answer.isNoData)
    }

    @Test("Trust-AD answers report the CNAME chain's names")
    func trustADNames() throws {
        let message = Message(
            questions: [Question(name: "_443._tcp.alias.example.test.", type: .tlsa)],
            answers: [
                Record(owner: "_443._tcp.alias.example.test.", ttl: 60, rdata: CNAME("_443._tcp.www.a15.test.")),
            ])
        let result = ValidationResult.trustingAuthenticatedData(
            message, for: Question(name: "_443._tcp.alias.example.test.", type: .tlsa), status: .secure)
        #expect(result.names.map(\.presentation) == ["_443._tcp.alias.example.test.", "_443._tcp.www.a15.test."])
    }
}
