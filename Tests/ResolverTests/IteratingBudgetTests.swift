import DNSWire
import EventLoop
import Foundation
import Testing
@testable import Resolver

/// Issue 9, hole 7: the iterating mode has a work budget per lookup (the NXNSAttack class):
/// a server that answers every question with a referral to glueless name servers, each of
/// which leads to more such referrals, gets a bounded number of queries, not an explosion.
@Suite("Iterating fetcher: queries per lookup", .timeLimit(.minutes(3)))
struct IteratingBudgetTests {
    @Test("Glueless referrals without end stop at the per-lookup query cap")
    func gluelessReferralsAreCapped() async throws {
        let counter = Counter()
        // After this many queries the server refuses, so even a fetcher without a cap ends.
        let patience = 400
        let server = try TestDNSServer { query, _ in
            let served = counter.increment()
            guard served <= patience, let question = query.questions.first else {
                return [.send(TestAnswers.response(to: query, rcode: .refused))]
            }
            // A referral one label down toward the name, to three name servers in a zone of
            // their own that has no glue.
            let depth = min(question.name.labelCount, 1)
            guard let child = question.name.ancestor(labelCount: depth) else { return [.ignore] }
            let servers: [Record] = (0..<3).compactMap { index in
                guard let host = try? Name(presentation: "ns\(index).q\(served).nx\(served).") else { return nil }
                return Record(owner: child, ttl: 300, rdata: NS(host))
            }
            return [.send(TestAnswers.response(to: query, authority: servers))]
        }
        defer { server.stop() }
        let fetcher = try IteratingFetcher(
            rootServers: [server.address], port: server.address.port, perServerTimeout: .seconds(2))
        defer { fetcher.shutdown() }
        let result = await fetcher.fetch("www.victim.test.", .a)
        guard case .failure(let text) = result else {
            Issue.record("an answer came from a server that only refers")
            return
        }
        #expect(server.queries.count <= IteratingFetcher.maxQueriesPerLookup, "\(server.queries.count) queries: \(text)")
        #expect(text.contains("queries for one lookup"), "\(text)")
    }

    /// Issue 9, hole 2 in the iterating mode: a referral is followed only downward, within the
    /// zone being resolved and toward the name asked; anything else is handed to the validator
    /// as the response, where a referral in place of an answer is bogus.
    @Test("Referrals are followed only downward toward the name")
    func referralsGoOnlyDownward() {
        func referral(to child: Name) -> Message {
            Message(header: Header(isResponse: true), authority: [Record(owner: child, ttl: 300, rdata: NS("ns.elsewhere."))])
        }
        let name: Name = "www.example.test."
        #expect(IteratingFetcher.referral(in: referral(to: "example.test."), for: name, type: .a, below: "test.")?.0 == "example.test.")
        // Upward, to the zone itself, or sideways: no referral.
        #expect(IteratingFetcher.referral(in: referral(to: "test."), for: name, type: .a, below: "example.test.") == nil)
        #expect(IteratingFetcher.referral(in: referral(to: "example.test."), for: name, type: .a, below: "example.test.") == nil)
        #expect(IteratingFetcher.referral(in: referral(to: "other.test."), for: name, type: .a, below: "test.") == nil)
    }
}
