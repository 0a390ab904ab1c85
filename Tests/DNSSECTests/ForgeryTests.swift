import DNSSEC
import DNSWire
import Testing

/// The attacker's responses of issue 9, each against the signed test hierarchy: genuine signed
/// records replayed beside forged ones. Every one must be bogus (or, where the attacker only
/// added noise, keep its honest verdict), never secure or insecure by the attacker's choice.
@Suite struct ForgeryTests {
    /// The records of `owner`/`type` with the RRSIGs over them, as the zone signs them.
    static func signed(_ zone: TestZone, _ owner: Name, _ type: RRType) throws -> [Record] {
        try zone.signed().filter {
            $0.owner == owner && ($0.type == type || ($0.rdata as? RRSIG)?.typeCovered == type)
        }
    }

    static func response(_ question: Question, answers: [Record] = [], authority: [Record] = [], rcode: RCode = .noError)
        -> Message
    {
        var message = Message(header: Header(isResponse: true), questions: [question], answers: answers, authority: authority)
        message.rcode = rcode
        return message
    }

    static let forgedTLSA = TLSA(
        usage: .init(rawValue: 3), selector: .init(rawValue: 1), matchingType: .init(rawValue: 1),
        associationData: [UInt8](repeating: 0x66, count: 32))

    // MARK: Hole 1: the validator checks one set of records, the DANE layer reads another

    /// The genuine signed TLSA RRset and, beside it at the same owner, an unsigned CNAME to the
    /// attacker's name with an unsigned TLSA there (RFC 2181 §10.1).
    @Test func cnameBesideTheSignedTLSAIsBogus() async throws {
        let hierarchy = try TestHierarchy()
        let question = Question(name: TestHierarchy.tlsaName, type: .tlsa)
        let forged: [Record] = [
            Record(owner: TestHierarchy.tlsaName, ttl: 300, rdata: CNAME("_25._tcp.evil.unsigned.test.")),
            Record(owner: "_25._tcp.evil.unsigned.test.", ttl: 300, rdata: Self.forgedTLSA),
        ]
        let message = Self.response(question, answers: try Self.signed(hierarchy.example, TestHierarchy.tlsaName, .tlsa) + forged)
        let result = await (try hierarchy.validator(try hierarchy.fetcher())).validate(message, for: question)
        #expect(result.status.isBogus, "\(result)")
    }

    /// The same shape for an address: the genuine signed A and an unsigned CNAME beside it.
    @Test func cnameBesideSignedAddressesIsBogus() async throws {
        let hierarchy = try TestHierarchy()
        let question = Question(name: "www.test.", type: .a)
        let forged = [
            Record(owner: "www.test.", ttl: 300, rdata: CNAME("host.unsigned.test.")),
            Record(owner: "host.unsigned.test.", ttl: 300, rdata: A(203, 0, 113, 66)),
        ]
        let message = Self.response(question, answers: try Self.signed(hierarchy.tld, "www.test.", .a) + forged)
        let result = await (try hierarchy.validator(try hierarchy.fetcher())).validate(message, for: question)
        #expect(result.status.isBogus, "\(result)")
    }

    /// A signed DNAME with a synthesized CNAME that points elsewhere than the DNAME says: the
    /// validator followed the DNAME, a reader of the raw CNAME the attacker's target.
    @Test func synthesizedCNAMEThatContradictsTheDNAMEIsBogus() async throws {
        let hierarchy = try TestHierarchy()
        let question = Question(name: "x.dname.example.test.", type: .a)
        let answers = try Self.signed(hierarchy.example, "dname.example.test.", .dname)
            + [Record(owner: "x.dname.example.test.", ttl: 600, rdata: CNAME("host.unsigned.test."))]
            + [Record(owner: "host.unsigned.test.", ttl: 600, rdata: A(203, 0, 113, 66))]
            + (try Self.signed(hierarchy.tld, "x.test.", .a))
        let result = await (try hierarchy.validator(try hierarchy.fetcher())).validate(Self.response(question, answers: answers), for: question)
        #expect(result.status.isBogus, "\(result)")
    }

    // MARK: Hole 2: a referral validates as secure and reads as "no TLSA"

    /// NOERROR, no answer, and in authority the NS of `test.` with its genuine signed DS from
    /// the root: a referral is no answer to a data question from a recursive resolver.
    @Test(arguments: [RRType.tlsa, .mx])
    func referralInPlaceOfAnAnswerIsBogus(type: RRType) async throws {
        let hierarchy = try TestHierarchy()
        let name: Name = type == .tlsa ? TestHierarchy.tlsaName : "example.test."
        let question = Question(name: name, type: type)
        let authority = try hierarchy.root.signed().filter { $0.owner == "test." && $0.type == .ns }
            + (try Self.signed(hierarchy.root, "test.", .ds))
        let result = await (try hierarchy.validator(try hierarchy.fetcher())).validate(
            Self.response(question, authority: authority), for: question)
        #expect(result.status.isBogus, "\(result)")
    }

    // MARK: Hole 5: only records that take part in a verified proof decide

    /// The honest NXDOMAIN for nope.example.test. (NSEC3, no iterations) with, put first, a
    /// genuine signed NSEC3 record of the zone from another chain (`iterations`, `salt`).
    static func nxdomainWithStrayNSEC3(iterations: UInt16, salt: [UInt8]) async throws -> ValidationResult {
        let hierarchy = try TestHierarchy(denial: "nsec3")
        let fetcher = try hierarchy.fetcher()
        let question = Question(name: "nope.example.test.", type: .a)
        guard case .response(let honest) = await fetcher.fetch(question.name, .a) else { throw TestFailure("no response") }
        let validator = try hierarchy.validator(fetcher)
        #expect(await validator.validate(honest, for: question).status == .secure)
        let stray = RRset(
            owner: "0000000000000000000000000000000q.example.test.", type: .nsec3, rrClass: .internet, ttl: 3600,
            rdatas: [NSEC3(flags: 0, iterations: iterations, salt: salt, nextHashedOwner: [UInt8](repeating: 0, count: 20),
                           types: TypeBitmap([.a]))])
        let strayRecords = stray.rdatas.map { Record(owner: stray.owner, ttl: stray.ttl, rdata: $0) }
            + [Record(owner: stray.owner, ttl: stray.ttl, rdata: try hierarchy.example.sign(stray))]
        return await validator.validate(Self.response(question, authority: strayRecords + honest.authority, rcode: honest.rcode), for: question)
    }

    /// A stray record with 200 iterations cannot make an honest proof insecure (RFC 9276 §3.2
    /// applies to the records of the proof).
    @Test func strayHighIterationNSEC3DoesNotDowngradeAProof() async throws {
        let result = try await Self.nxdomainWithStrayNSEC3(iterations: 200, salt: [0x01])
        #expect(result.status == .secure, "\(result)")
    }

    /// A stray record of another chain within the limit (another salt) cannot break it: the
    /// chain that proves decides.
    @Test func strayNSEC3OfAnotherChainDoesNotBreakAProof() async throws {
        let result = try await Self.nxdomainWithStrayNSEC3(iterations: 1, salt: [0x02])
        #expect(result.status == .secure, "\(result)")
    }

    /// A junk RRSIG naming a deeper signer beside the genuine signature: the walk follows the
    /// signer of the signature that verifies.
    @Test func junkRRSIGWithADeeperSignerIsIgnored() async throws {
        let hierarchy = try TestHierarchy()
        let question = Question(name: TestHierarchy.tlsaName, type: .tlsa)
        var answers = try Self.signed(hierarchy.example, TestHierarchy.tlsaName, .tlsa)
        guard var junk = answers.compactMap({ $0.rdata as? RRSIG }).first else {
            Issue.record("no RRSIG")
            return
        }
        junk.signerName = "mail.example.test."
        junk.signature[0] ^= 0xFF
        answers.append(Record(owner: TestHierarchy.tlsaName, ttl: 300, rdata: junk))
        let result = await (try hierarchy.validator(try hierarchy.fetcher())).validate(Self.response(question, answers: answers), for: question)
        #expect(result.status == .secure, "\(result)")
    }

    // MARK: Hole 6: smaller ones

    /// NXDOMAIN with the genuine signed TLSA RRset: the RCODE contradicts the signed answer.
    @Test func nxdomainBesideASignedAnswerIsBogus() async throws {
        let hierarchy = try TestHierarchy()
        let question = Question(name: TestHierarchy.tlsaName, type: .tlsa)
        let message = Self.response(
            question, answers: try Self.signed(hierarchy.example, TestHierarchy.tlsaName, .tlsa), rcode: .nxDomain)
        let result = await (try hierarchy.validator(try hierarchy.fetcher())).validate(message, for: question)
        #expect(result.status.isBogus, "\(result)")
    }

    /// A DS query for example.test. answered with the child's own apex NSEC (signed by the
    /// child): only the parent can deny a DS (RFC 4035 §5.2, RFC 6840 §4.4).
    @Test(arguments: ["nsec", "nsec3"])
    func childApexDenialIsNoDSProof(denial: String) async throws {
        let hierarchy = try TestHierarchy(denial: denial)
        let question = Question(name: "example.test.", type: .ds)
        let apexProof = try hierarchy.example.signed().filter { record in
            let covered = (record.rdata as? RRSIG)?.typeCovered ?? record.type
            guard covered == .nsec || covered == .nsec3 else { return false }
            return denial == "nsec" ? record.owner == "example.test." : true
        }
        let result = await (try hierarchy.validator(try hierarchy.fetcher())).validate(
            Self.response(question, authority: apexProof), for: question)
        #expect(result.status.isBogus, "\(result)")
    }

    /// A wildcard-expanded CNAME signed by the parent, replayed as the answer to the DS query of
    /// a real delegation, is no proof that the name is no zone cut.
    @Test func wildcardExpandedCNAMEIsNoProofOfNoZoneCut() async throws {
        var hierarchy = try TestHierarchy()
        var sub = try TestZone("sub.example.test.")
        sub.add("www.sub.example.test.", 300, A(192, 0, 2, 7))
        sub.addNSECChain()
        hierarchy.example.add("*.example.test.", 300, CNAME("www.test."))
        hierarchy.example.add("sub.example.test.", 3600, NS("ns.sub.example.test."))
        hierarchy.example.add("sub.example.test.", 3600, try sub.ds())
        let honest = try hierarchy.fetcher()
        let expansion = RRset(owner: "sub.example.test.", type: .cname, rrClass: .internet, ttl: 300, rdatas: [CNAME("www.test.")])
        let wildcardSignature = try hierarchy.example.sign(expansion, labels: 2)
        let fetcher = ZonesFetcher(honest.zones.merging(["sub.example.test.": try sub.signed()]) { $1 })
        let forging = ForgingFetcher(fetcher) { name, type, message in
            guard name == "sub.example.test.", type == .ds else { return message }
            var forged = Message(header: Header(isResponse: true), questions: [Question(name: name, type: type)])
            forged.answers = [Record(owner: name, ttl: 300, rdata: CNAME("www.test.")), Record(owner: name, ttl: 300, rdata: wildcardSignature)]
            return forged
        }
        let validator = DNSSECValidator(anchors: try hierarchy.anchors, fetcher: forging, clock: { UInt64(TestZone.now) })
        let walked = await validator.chain(to: "sub.example.test.")
        #expect(walked.status.isBogus, "\(walked.status) \(walked.chain)")
    }
}

/// A fetcher that hands each response of another through `rewrite` first: the attacker on the
/// path between the validator and its resolver.
final class ForgingFetcher: DNSSECFetcher, @unchecked Sendable {
    let inner: any DNSSECFetcher
    let rewrite: @Sendable (Name, RRType, Message) -> Message

    init(_ inner: any DNSSECFetcher, rewrite: @escaping @Sendable (Name, RRType, Message) -> Message) {
        self.inner = inner
        self.rewrite = rewrite
    }

    func fetch(_ name: Name, _ type: RRType) async -> FetchResult {
        switch await inner.fetch(name, type) {
        case .response(let message): .response(rewrite(name, type, message))
        case .failure(let text): .failure(text)
        }
    }
}
