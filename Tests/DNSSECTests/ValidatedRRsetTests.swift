import DNSSEC
import DNSWire
import Testing

/// The validator returns the RRsets it judged (issue 9, hole 1): owner, type, records, status,
/// and the chain of names, so that consumers read nothing else.
@Suite struct ValidatedRRsetTests {
    @Test func aSecureAnswerCarriesItsRRset() async throws {
        let hierarchy = try TestHierarchy()
        let (_, result) = await (try hierarchy.validator(try hierarchy.fetcher())).lookup(TestHierarchy.tlsaName, .tlsa)
        #expect(result.status == .secure)
        #expect(result.rrsets.map(\.owner) == [TestHierarchy.tlsaName])
        #expect(result.rrsets.first?.status == .secure)
        let (status, records) = result.answer(ofType: .tlsa)
        #expect(status == .secure)
        #expect(records.compactMap { $0 as? TLSA } == [TestHierarchy.tlsa])
        #expect(result.rrsets.first?.secureRecords()?.count == 1)
        #expect(result.rcode == .noError)
    }

    /// A CNAME link into another signed zone: both RRsets, each with its status, in walk order.
    @Test func aCNAMEChainCarriesEveryLink() async throws {
        let hierarchy = try TestHierarchy()
        let question = Question(name: "alias.example.test.", type: .a)
        let answers = try ForgeryTests.signed(hierarchy.example, "alias.example.test.", .cname)
            + (try ForgeryTests.signed(hierarchy.tld, "www.test.", .a))
        let result = await (try hierarchy.validator(try hierarchy.fetcher())).validate(
            ForgeryTests.response(question, answers: answers), for: question)
        #expect(result.status == .secure)
        #expect(result.rrsets.map { "\($0.owner.presentation) \($0.type)" } == ["alias.example.test. CNAME", "www.test. A"])
        #expect(result.canonicalName == "www.test.")
        #expect(result.answer(ofType: .a).rdatas.count == 1)
    }

    /// A DNAME: the synthesized CNAME the consumer reads is the one the validator computed and
    /// followed, even when the response's own CNAME is missing.
    @Test func theSynthesizedCNAMEIsTheValidatorsOwn() async throws {
        let hierarchy = try TestHierarchy()
        let question = Question(name: "x.dname.example.test.", type: .a)
        let answers = try ForgeryTests.signed(hierarchy.example, "dname.example.test.", .dname)
            + (try ForgeryTests.signed(hierarchy.tld, "x.test.", .a))
        let result = await (try hierarchy.validator(try hierarchy.fetcher())).validate(
            ForgeryTests.response(question, answers: answers), for: question)
        #expect(result.status == .secure, "\(result)")
        let synthesized = result.rrsets.first { $0.isSynthesized }
        #expect(synthesized?.owner == "x.dname.example.test.")
        #expect((synthesized?.secureRecords()?.first as? CNAME)?.target == "x.test.")
        #expect(result.names == ["x.dname.example.test.", "x.test."])
    }

    /// Bogus data is no data: the result of a forged answer hands out no RRset.
    @Test func aBogusAnswerHandsOutNothing() async throws {
        let hierarchy = try TestHierarchy()
        let question = Question(name: TestHierarchy.tlsaName, type: .tlsa)
        let forged = try ForgeryTests.signed(hierarchy.example, TestHierarchy.tlsaName, .tlsa)
            + [Record(owner: TestHierarchy.tlsaName, ttl: 300, rdata: CNAME("_25._tcp.evil.unsigned.test."))]
        let result = await (try hierarchy.validator(try hierarchy.fetcher())).validate(
            ForgeryTests.response(question, answers: forged), for: question)
        #expect(result.status.isBogus)
        #expect(result.rrsets.isEmpty)
        #expect(result.answer(ofType: .tlsa).rdatas.isEmpty)
    }

    /// Trust-AD answers are walked by the same rules: a record beside a CNAME makes them bogus,
    /// and records off the chain are not handed out.
    @Test func trustedADAnswersAreWalkedTheSameWay() {
        let question = Question(name: "www.example.", type: .a)
        let onChain = [
            Record(owner: "www.example.", ttl: 60, rdata: CNAME("edge.example.")),
            Record(owner: "edge.example.", ttl: 60, rdata: A(192, 0, 2, 1)),
            Record(owner: "elsewhere.example.", ttl: 60, rdata: A(203, 0, 113, 9)),
        ]
        let walked = ValidationResult.trustingAuthenticatedData(Message(answers: onChain), for: question, status: .secure)
        #expect(walked.status == .secure)
        #expect(walked.rrsets.map(\.owner) == ["www.example.", "edge.example."])
        let forged = ValidationResult.trustingAuthenticatedData(
            Message(answers: onChain + [Record(owner: "www.example.", ttl: 60, rdata: A(203, 0, 113, 66))]), for: question,
            status: .secure)
        #expect(forged.status.isBogus && forged.rrsets.isEmpty)
    }
}
