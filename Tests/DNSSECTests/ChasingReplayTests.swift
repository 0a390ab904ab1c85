import DNSSEC
import DNSWire
import Testing

/// Replay scenarios that need a resolver's CNAME and DNAME chasing, several trust anchors,
/// `domain-insecure` or `harden-algo-downgrade`, in the shapes of Unbound's val_cnametoinsecure,
/// val_cnametocloser and val_cnametocloser_nosig (the copied corpus has none of them). Each is
/// written as .rpl text over ``ZoneCutHierarchy``, read back by ``ReplayScenario`` and run by
/// the harness of ``ReplayScenarioTests``; the expected verdicts are Unbound's (ZoneCutPeerTests
/// checks the CNAME and DNAME shapes against a real Unbound).
@Suite struct ChasingReplayTests {
    /// One scenario: the first response for `question` (as the zone's server gives it), the
    /// rest answered by the hierarchy; the chain the stub gets and the verdict expected.
    struct Case {
        var hierarchy: ZoneCutHierarchy
        var question: Question
        var firstResponse: Message?
        var anchors: [Record]
        var options: [String] = []
        var expect: ReplayScenario.Expected
    }

    /// Writes the scenario, reads it back, runs it; returns the verdict and the scenario.
    static func run(_ test: Case, _ label: String) async throws -> (ValidationResult?, ReplayScenario) {
        // Record every exchange a chasing resolver and the validator make over the hierarchy.
        let recorder = RecordingFetcher(
            overrides: test.firstResponse.map { [(test.question, $0)] } ?? [], fallback: try test.hierarchy.fetcher())
        guard case .response(let chased) = await ChasingResolver(fetcher: recorder).resolve(test.question) else {
            throw TestFailure("\(label): the hierarchy does not answer \(test.question)")
        }
        var writer = ReplayScenarioWriter(anchors: test.anchors, date: TestZone.now, options: test.options)
        let configured = try ReplayScenario(text: writer.text)  // the configuration alone
        let validator = DNSSECValidator(
            anchors: configured.anchors, fetcher: recorder, configuration: configured.validatorConfiguration,
            clock: { UInt64(TestZone.now) })
        _ = await validator.validate(chased, for: test.question)
        for (question, response) in recorder.exchanges { writer.entry(question, response) }
        writer.step(test.question, expect: test.expect, answer: chased.answers)

        let scenario = try ReplayScenario(text: writer.text)
        let results = await ReplayScenarioTests.run(scenario, label)
        return (results.first?.1, scenario)
    }

    static func expectVerdict(_ test: Case, _ label: String) async throws {
        let (result, scenario) = try await run(test, label)
        #expect(scenario.steps.first?.expected == test.expect, "\(label): the scenario reads back as \(String(describing: scenario.steps.first?.expected))")
        #expect(result?.status.name == test.expect.rawValue, "\(label): \(String(describing: result))")
    }

    static func anchors(_ hierarchy: ZoneCutHierarchy, root: Bool = true, island: Bool = true) throws -> [Record] {
        (root ? [Record(owner: .root, ttl: 3600, rdata: try hierarchy.root.ds())] : [])
            + (island ? [Record(owner: ZoneCutHierarchy.islandName, ttl: 3600, rdata: hierarchy.island.dnskey)] : [])
    }

    /// val_cnametoinsecure: the CNAME's zone answers with the CNAME and its proofs (among them
    /// that the child has no DS); the resolver asks the child for the target: insecure.
    @Test(arguments: ["nsec", "nsec3"])
    func cnameToInsecure(denial: String) async throws {
        let hierarchy = try ZoneCutHierarchy(denial: denial)
        let question = Question(name: "www.example.", type: .a)
        try await Self.expectVerdict(Case(
            hierarchy: hierarchy, question: question,
            firstResponse: try hierarchy.cnameWithParentProof("www.example.", .a),
            anchors: try Self.anchors(hierarchy, island: false), expect: .insecure), "cnameToInsecure \(denial)")
    }

    /// val_cnametocloser: the first response carries the parent's opt-out span (or its NSEC of
    /// the delegation); the target's NODATA comes from the island, judged by its own anchor:
    /// secure. val_cnametocloser_nosig: the island's DNSKEY RRset unsigned: bogus.
    @Test(arguments: ["nsec", "nsec3-optout"], [ZoneCutHierarchy.IslandKeys.signed, .unsigned])
    func cnameToCloser(denial: String, keys: ZoneCutHierarchy.IslandKeys) async throws {
        let hierarchy = try ZoneCutHierarchy(denial: denial, islandKeys: keys)
        let question = Question(name: "far.example.", type: .aaaa)
        try await Self.expectVerdict(Case(
            hierarchy: hierarchy, question: question,
            firstResponse: try hierarchy.cnameWithParentProof("far.example.", .aaaa),
            anchors: try Self.anchors(hierarchy), expect: keys == .signed ? .secure : .bogus), "cnameToCloser \(denial) \(keys)")
    }

    /// A DNAME into the island with its synthesized (unsigned) CNAME; the resolver asks the
    /// island for the target: secure, or bogus without the island's key signatures.
    @Test(arguments: [ZoneCutHierarchy.IslandKeys.signed, .brokenSignature])
    func dnameToCloser(keys: ZoneCutHierarchy.IslandKeys) async throws {
        let hierarchy = try ZoneCutHierarchy(denial: "nsec3-optout", islandKeys: keys)
        let question = Question(name: "www.d.example.", type: .a)
        let first = Message(
            header: Header(isResponse: true), questions: [question],
            answers: ZoneCutHierarchy.rrset(try hierarchy.example.signed(), "d.example.", .dname)
                + [Record(owner: "www.d.example.", ttl: 600, rdata: CNAME("www.a.b.example."))])
        try await Self.expectVerdict(Case(
            hierarchy: hierarchy, question: question, firstResponse: first, anchors: try Self.anchors(hierarchy),
            expect: keys == .signed ? .secure : .bogus), "dnameToCloser \(keys)")
    }

    /// domain-insecure: "example." makes the signed CNAME insecure; without it, secure.
    @Test(arguments: [false, true])
    func domainInsecure(configured: Bool) async throws {
        let hierarchy = try ZoneCutHierarchy(denial: "nsec")
        try await Self.expectVerdict(Case(
            hierarchy: hierarchy, question: Question(name: "far.example.", type: .cname),
            anchors: try Self.anchors(hierarchy, island: false), options: configured ? ["domain-insecure: \"example.\""] : [],
            expect: configured ? .insecure : .secure), "domain-insecure \(configured)")
    }

    /// Only the island's anchor: the CNAME's link has no anchor above it, so the answer (no AD)
    /// is indeterminate, not insecure.
    @Test func noAnchorAboveTheCNAMEIsIndeterminate() async throws {
        let hierarchy = try ZoneCutHierarchy(denial: "nsec")
        let question = Question(name: "far.example.", type: .a)
        try await Self.expectVerdict(Case(
            hierarchy: hierarchy, question: question, anchors: try Self.anchors(hierarchy, root: false), expect: .indeterminate),
            "island anchor only")
    }

    /// The root's DS set names Ed25519 beside ECDSA, and only ECDSA signs: harden-algo-downgrade
    /// yes refuses it, no (Unbound's default) accepts it.
    @Test(arguments: ["yes", "no"])
    func hardenAlgoDowngrade(setting: String) async throws {
        let hierarchy = try ZoneCutHierarchy(denial: "nsec", secondAlgorithm: true)
        let question = Question(name: "far.example.", type: .cname)
        try await Self.expectVerdict(Case(
            hierarchy: hierarchy, question: question, anchors: try Self.anchors(hierarchy, island: false),
            options: ["harden-algo-downgrade: \(setting)"], expect: setting == "yes" ? .bogus : .secure),
            "harden-algo-downgrade \(setting)")
    }
}
