import DNSWire
import EventLoop
import Foundation
import Testing
import TestSupport
@testable import Resolver

/// One question to ``ZoneCutPeers`` and the verdict Unbound gives it.
struct ZoneCutCase: Sendable, CustomTestStringConvertible {
    var name: String
    var type: RRType
    var expected: Verdict
    /// The names our answer must report (query name, then CNAME/DNAME targets).
    var names: [String]
    var what: String

    var testDescription: String { "\(what): \(name) \(type) → \(expected.rawValue)" }

    /// `name` → `target` (nil: the chain's end is not reported, as for bogus data).
    init(_ name: String, _ type: RRType, _ expected: Verdict, to target: String?, _ what: String) {
        self.name = name
        self.type = type
        self.expected = expected
        self.names = [name] + (target.map { [$0] } ?? [])
        self.what = what
    }

    static let all: [ZoneCutCase] = ZoneCutPeers.parents.flatMap { p in
        [
            ZoneCutCase("www.\(p)", .a, .insecure, to: "www.child.\(p)", "CNAME below an unsigned cut"),
            ZoneCutCase("top.\(p)", .a, .insecure, to: "child.\(p)", "CNAME to the unsigned cut itself"),
            ZoneCutCase("far.\(p)", .a, .secure, to: "www.a.b.\(p)", "CNAME toward a closer anchor"),
            ZoneCutCase("far.\(p)", .aaaa, .secure, to: "www.a.b.\(p)", "CNAME toward a closer anchor, NODATA there"),
            ZoneCutCase("www.alias.\(p)", .a, .secure, to: "www.a.b.\(p)", "DNAME toward a closer anchor"),
            ZoneCutCase("nosig.\(p)", .a, .bogus, to: nil, "CNAME toward a closer anchor whose DNSKEY RRset is unsigned"),
        ]
    }
}

/// CNAME and DNAME chains across zone cuts and toward closer trust anchors (issue 10) over a
/// real hierarchy: our verdict, validating in process over Unbound or iterating by itself,
/// equals Unbound's.
@Suite("CNAME chains across zone cuts against Unbound", .timeLimit(.minutes(2)))
struct ZoneCutPeerTests {
    static let overUnbound: Result<ValidatingResolver, any Error> = Result {
        let peers = try ZoneCutPeers.get()
        return try ValidatingResolver(
            resolverConfiguration: testConfiguration(
                [try SocketAddress(host: peers.resolverAddress, port: 53)], perServerTimeout: .seconds(5), attempts: 2),
            trustAnchorPath: peers.anchorFile)
    }

    static let iterating: Result<ValidatingResolver, any Error> = Result {
        let peers = try ZoneCutPeers.get()
        let fetcher = try IteratingFetcher(rootServers: [try SocketAddress(host: peers.serverAddress, port: 53)])
        return ValidatingResolver(iterating: fetcher, anchors: try TrustAnchorFile.load(path: peers.anchorFile))
    }

    static func check(_ ours: ValidatedAnswer, _ testCase: ZoneCutCase, _ path: String) {
        #expect(ours.status.name == testCase.expected.rawValue, "\(path): \(ours)")
        if testCase.expected == .bogus {
            #expect(ours.records.isEmpty, "\(path): bogus data handed out")
        } else {
            #expect(ours.names.map(\.presentation) == testCase.names, "\(path): \(ours.names)")
        }
    }

    @Test("Our verdict over Unbound equals Unbound's", arguments: ZoneCutCase.all)
    func verdictsAgree(_ testCase: ZoneCutCase) async throws {
        let peers = try ZoneCutPeers.get()
        let unbound = try PeerVerdicts.unbound(testCase.name, testCase.type.description, at: peers.resolverAddress)
        #expect(unbound.verdict == testCase.expected, "unbound: \(unbound)\n\(unbound.transcript)")
        let ours = await (try Self.overUnbound.get()).resolve(try Name(presentation: testCase.name), testCase.type)
        Self.check(ours, testCase, "over unbound")
    }

    @Test("Iterating from root hints gives Unbound's verdicts", arguments: ZoneCutCase.all)
    func iteratingVerdicts(_ testCase: ZoneCutCase) async throws {
        let ours = await (try Self.iterating.get()).resolve(try Name(presentation: testCase.name), testCase.type)
        Self.check(ours, testCase, "iterating")
    }
}
