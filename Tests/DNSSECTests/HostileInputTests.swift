import DNSSEC
import DNSWire
import Testing

/// Bad input gives a verdict, never a crash or a hang (DESIGN.md rule 11).
@Suite struct HostileInputTests {
    @Test func cnameLoopEnds() async throws {
        let hierarchy = try TestHierarchy()
        var zone = hierarchy.example
        zone.add("a.example.test.", 60, CNAME("b.example.test."))
        zone.add("b.example.test.", 60, CNAME("a.example.test."))
        let records = try zone.signed().filter { ["a.example.test.", "b.example.test."].contains($0.owner) }
        let question = Question(name: "a.example.test.", type: .a)
        let message = Message(header: Header(isResponse: true), questions: [question], answers: records)
        let validator = try hierarchy.validator(try hierarchy.fetcher())
        let result = await validator.validate(message, for: question)
        #expect(result.status.isBogus, "\(result)")
        #expect(result.names.count <= ValidatorConfiguration().maxChainLinks + 1)
    }

    @Test func nsec3WithNonHashOwnersIsIgnored() {
        let nsec3 = NSEC3(flags: 0, iterations: 0, salt: [], nextHashedOwner: [UInt8](repeating: 1, count: 20), types: TypeBitmap([]))
        #expect(NSEC3Record(owner: "not-base32-!.example.", nsec3: nsec3) == nil)
        #expect(NSEC3Record(owner: "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example.", nsec3: nsec3) != nil)
        #expect(NSEC3Record(owner: ".", nsec3: nsec3) == nil)
        // Unknown hash algorithm and unknown flags: not used (RFC 5155 §8.2).
        var odd = nsec3
        odd.hashAlgorithm = 2
        let record = NSEC3Record(owner: "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example.", nsec3: odd)
        var denial = NSEC3Denial(zone: "example.", records: [record].compactMap { $0 })
        #expect(denial.records.isEmpty)
        #expect(denial.nameError("a.example.") != .proven)
    }

    @Test func emptyAndForeignResponses() async throws {
        let hierarchy = try TestHierarchy()
        let validator = try hierarchy.validator(try hierarchy.fetcher())
        let question = Question(name: TestHierarchy.tlsaName, type: .tlsa)
        // No records at all for a secure name: bogus, not a crash.
        let empty = await validator.validate(Message(header: Header(isResponse: true), questions: [question]), for: question)
        #expect(empty.status.isBogus)
        // A SERVFAIL carries nothing to judge.
        var failed = Message(header: Header(isResponse: true), questions: [question])
        failed.rcode = .servFail
        #expect(await validator.validate(failed, for: question).status.isIndeterminate)
        // Records of another name only: the question is not answered, so it is a NODATA without proof.
        let foreign = Message(
            header: Header(isResponse: true), questions: [question],
            answers: try hierarchy.tld.signed().filter { $0.owner == "www.test." })
        #expect(await validator.validate(foreign, for: question).status.isBogus)
    }

    @Test func fetcherFailureIsNotSecure() async throws {
        let hierarchy = try TestHierarchy()
        let validator = DNSSECValidator(anchors: try hierarchy.anchors, fetcher: NoFetcher(), clock: { UInt64(TestZone.now) })
        let records = try hierarchy.example.signed().filter { $0.owner == TestHierarchy.tlsaName }
        let question = Question(name: TestHierarchy.tlsaName, type: .tlsa)
        let result = await validator.validate(Message(header: Header(isResponse: true), questions: [question], answers: records), for: question)
        #expect(result.status.isBogus)
        #expect(result.status.reason?.code == .networkError, "\(result)")
    }

    @Test func signatureOverAHugeLabelCount() throws {
        let zone = try TestZone("example.test.")
        let set = RRset(owner: "www.example.test.", type: .a, rrClass: .internet, ttl: 60, rdatas: [A(192, 0, 2, 1)])
        var signature = try zone.sign(set)
        signature.labels = 255
        #expect(!RRsetVerifier.verify(SignedRRset(rrset: set, signatures: [signature]), with: zone.keySet, now: TestZone.now).isVerified)
    }
}
