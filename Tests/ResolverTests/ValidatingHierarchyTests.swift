import DNSWire
import EventLoop
import Foundation
import Testing
import TestSupport
@testable import Resolver

/// One question to the hierarchy and the verdict all three validators must give.
struct HierarchyCase: Sendable, CustomTestStringConvertible {
    var name: String
    var type: String
    var expected: Verdict
    var rcode: RCode = .noError
    /// The names our answer must report (query name, then CNAME targets); nil: just the query name.
    var names: [String]? = nil
    /// Our RFC 8914 code for a bogus case. Unbound's codes differ with the state of its cache
    /// (7 or 9 cold, 6 once warm), so only their presence is compared with Unbound.
    var ede: UInt16? = nil
    var what: String

    var testDescription: String { "\(what): \(name) \(type) → \(expected.rawValue)" }

    var rrType: RRType {
        switch type {
        case "A": .a
        case "TXT": .txt
        case "TLSA": .tlsa
        default: .any
        }
    }

    static let all: [HierarchyCase] = [
        HierarchyCase(name: "www.test.", type: "A", expected: .secure, what: "algorithm 8 (ldns)"),
        HierarchyCase(name: "www.a10.test.", type: "A", expected: .secure, what: "algorithm 10 (ldns)"),
        HierarchyCase(name: "www.a13.test.", type: "A", expected: .secure, what: "algorithm 13 (dnssec-signzone)"),
        HierarchyCase(name: "www.a14.test.", type: "A", expected: .secure, what: "algorithm 14 (dnssec-signzone)"),
        HierarchyCase(name: "www.a15.test.", type: "A", expected: .secure, what: "algorithm 15 (knot online signing)"),
        HierarchyCase(name: "www.a16.test.", type: "A", expected: .secure, what: "algorithm 16 (ldns)"),
        HierarchyCase(name: "_443._tcp.www.example.test.", type: "TLSA", expected: .secure, what: "TLSA, NSEC3 zone"),
        HierarchyCase(name: "www.insecure.test.", type: "A", expected: .insecure, what: "unsigned delegation"),
        HierarchyCase(name: "tampered.bogus.test.", type: "A", expected: .bogus, ede: 6, what: "tampered signature"),
        HierarchyCase(name: "wrongkey.bogus.test.", type: "A", expected: .bogus, ede: 9, what: "signature by a key not in the DNSKEY set"),
        HierarchyCase(name: "expired.bogus.test.", type: "A", expected: .bogus, ede: 7, what: "expired signature"),
        HierarchyCase(name: "www.bogus.test.", type: "A", expected: .secure, what: "good data beside the bogus"),
        HierarchyCase(name: "www.badds.test.", type: "A", expected: .bogus, ede: 9, what: "a DS that matches no key"),
        HierarchyCase(name: "nope.a10.test.", type: "A", expected: .secure, rcode: .nxDomain, what: "NXDOMAIN by NSEC"),
        HierarchyCase(name: "www.a10.test.", type: "TXT", expected: .secure, what: "NODATA by NSEC"),
        HierarchyCase(name: "nope.example.test.", type: "A", expected: .secure, rcode: .nxDomain, what: "NXDOMAIN by NSEC3"),
        HierarchyCase(name: "www.example.test.", type: "TXT", expected: .secure, what: "NODATA by NSEC3"),
        HierarchyCase(
            name: "_443._tcp.alias.example.test.", type: "TLSA", expected: .secure,
            names: ["_443._tcp.alias.example.test.", "_443._tcp.www.a15.test."],
            what: "TLSA through a CNAME into another signed zone"),
    ]
}

/// The in-process validator against a real signed hierarchy (knotd, Unbound, delv): for every
/// case our verdict equals Unbound's (AD bit or SERVFAIL) and delv's (its own validation).
@Suite("Validating resolver against a real hierarchy", .timeLimit(.minutes(2)))
struct ValidatingHierarchyTests {
    /// One validating resolver over the hierarchy's Unbound, shared by the cases (warm key cache,
    /// as in the gateway).
    static let resolver: Result<ValidatingResolver, any Error> = Result {
        let hierarchy = try SignedHierarchy.get()
        return try ValidatingResolver(
            resolverConfiguration: testConfiguration(
                [try SocketAddress(host: hierarchy.resolverAddress, port: 53)], perServerTimeout: .seconds(5), attempts: 2),
            trustAnchorPath: hierarchy.anchorFile)
    }

    /// A validating resolver that iterates from root hints to knotd itself, no Unbound between.
    static let iterating: Result<ValidatingResolver, any Error> = Result {
        let hierarchy = try SignedHierarchy.get()
        let fetcher = try IteratingFetcher(rootServers: [try SocketAddress(host: hierarchy.rootServerAddress, port: 53)])
        // With the chain prefetch on, so that path meets the same cases (the other resolver has it off).
        return ValidatingResolver(
            iterating: fetcher, anchors: try TrustAnchorFile.load(path: hierarchy.anchorFile),
            configuration: ValidatingResolverConfiguration(prefetchChain: true))
    }

    @Test("Iterating from root hints to the authoritative server gives the same verdicts", arguments: HierarchyCase.all)
    func iteratingVerdicts(_ testCase: HierarchyCase) async throws {
        let resolver = try Self.iterating.get()
        let ours = await resolver.resolve(try Name(presentation: testCase.name), testCase.rrType)
        #expect(ours.status.name == testCase.expected.rawValue, "ours: \(ours)")
        if testCase.expected == .bogus {
            #expect(ours.records.isEmpty)
            #expect(ours.extendedDNSError?.infoCode.rawValue == testCase.ede, "ours: \(ours)")
        } else {
            #expect(ours.rcode == testCase.rcode, "ours: \(ours)")
        }
        if let names = testCase.names {
            #expect(ours.names.map(\.presentation) == names)
            #expect(!ours.records(ofType: testCase.rrType).isEmpty)
        }
    }

    @Test("Our verdict equals Unbound's and delv's", arguments: HierarchyCase.all)
    func verdictsAgree(_ testCase: HierarchyCase) async throws {
        let hierarchy = try SignedHierarchy.get()
        let resolver = try Self.resolver.get()
        let name = try Name(presentation: testCase.name)
        let ours = await resolver.resolve(name, testCase.rrType)
        let unbound = try PeerVerdicts.unbound(testCase.name, testCase.type, at: hierarchy.resolverAddress)
        let delv = try PeerVerdicts.delv(
            testCase.name, testCase.type, resolver: hierarchy.resolverAddress, anchorFile: hierarchy.bindAnchorFile)

        #expect(ours.status.name == testCase.expected.rawValue, "ours: \(ours)")
        #expect(unbound.verdict == testCase.expected, "unbound: \(unbound)\n\(unbound.transcript)")
        #expect(delv.verdict == testCase.expected, "delv: \(delv)\n\(delv.transcript)")

        if testCase.expected == .bogus {
            // Bogus data is withheld; the verdict says why, with an EDE code as Unbound gives one.
            #expect(ours.records.isEmpty)
            #expect(ours.extendedDNSError?.infoCode.rawValue == testCase.ede, "ours: \(ours)")
            #expect(unbound.ede != nil, "unbound sent no EDE: \(unbound.transcript)")
        } else {
            #expect(ours.rcode == testCase.rcode, "ours: \(ours)")
            #expect(unbound.rcode == testCase.rcode.description, "unbound: \(unbound.transcript)")
            if testCase.rcode == .nxDomain { #expect(ours.isNameError) }
            if testCase.type == "TXT" { #expect(ours.isNoData, "ours: \(ours)") }
            if testCase.type == "A" || testCase.type == "TLSA", testCase.rcode == .noError {
                #expect(!ours.records(ofType: testCase.rrType).isEmpty, "ours: \(ours)")
            }
        }
        if let names = testCase.names {
            #expect(ours.names.map(\.presentation) == names)
            #expect(ours.canonicalName.presentation == names.last)
        }
        if testCase.expected == .secure {
            // The chain runs from the root anchor to the data's zone.
            #expect(ours.chain.first?.zone == .root, "chain: \(ours.chain)")
        }
    }
}
