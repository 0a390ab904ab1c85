import DNSSEC
import DNSWire
import Testing

/// RFC 4035 and RFC 5155 Appendix B: each example response, validated from a trust anchor on
/// the example zone's key-signing key, proves what the RFC says it does.
///
/// RFC 5155's example zone flags every NSEC3 record Opt-Out, so a proof that rests on a
/// covering NSEC3 (name error, wildcard answer, wildcard NODATA: the next closer name) may hide
/// an unsigned delegation and is insecure, as Unbound reports it (val_nsec3_b1, b4, b5 give no
/// AD). `optOutCleared` below checks that the same records prove the claim once the flag is
/// cleared.
@Suite struct AppendixResponseTests {
    struct Response: Decodable {
        var file: String
        var rcode: UInt16
        var qname: String
        var qtype: String
        var sections: [String: [String]]
    }

    /// The referrals: verdicts of `validateReferral` (an authoritative server's answer); as the
    /// answer of a recursive resolver (`validate`) each is bogus (issue 9, hole 2).
    static let referrals: Set<String> = ["rfc4035/appendixB/B.4.txt", "rfc4035/appendixB/B.5.txt", "rfc5155/appendixB/B.3.txt"]

    static let expectations: [String: String] = [
        "rfc4035/appendixB/B.1.txt": "secure",    // answer
        "rfc4035/appendixB/B.2.txt": "secure",    // name error
        "rfc4035/appendixB/B.3.txt": "secure",    // no data
        "rfc4035/appendixB/B.4.txt": "secure",    // referral to a signed zone
        "rfc4035/appendixB/B.5.txt": "insecure",  // referral to an unsigned zone
        "rfc4035/appendixB/B.6.txt": "secure",    // wildcard expansion
        "rfc4035/appendixB/B.7.txt": "secure",    // wildcard no data
        // DS child zone no data: the child's apex NSEC cannot deny a DS (issue 9, hole 6); this
        // expectation was "secure" before.
        "rfc4035/appendixB/B.8.txt": "bogus",
        "rfc5155/appendixB/B.1.txt": "insecure",  // name error, next closer in an opt-out span
        "rfc5155/appendixB/B.2.txt": "secure",    // no data
        "rfc5155/appendixB/B.2.1.txt": "secure",  // no data, empty non-terminal
        "rfc5155/appendixB/B.3.txt": "insecure",  // referral to an opt-out unsigned zone
        "rfc5155/appendixB/B.4.txt": "insecure",  // wildcard expansion, next closer in an opt-out span
        "rfc5155/appendixB/B.5.txt": "insecure",  // wildcard no data, next closer in an opt-out span
        "rfc5155/appendixB/B.6.txt": "bogus",     // DS child zone no data (as B.8 above)
    ]

    static func responses(_ appendix: String) throws -> [Response] {
        try VectorFiles.json([Response].self, "rfc-derived/\(appendix)/appendixB-responses.json")
    }

    static func message(_ response: Response) throws -> (Message, Question) {
        func section(_ name: String) throws -> [Record] {
            try VectorFiles.records((response.sections[name] ?? []).joined(separator: "\n"))
        }
        let question = Question(
            name: try Name(presentation: response.qname, origin: .root),
            type: try #require(RRType(mnemonic: response.qtype)))
        var message = Message(
            header: Header(isResponse: true, isAuthoritative: true), questions: [question],
            answers: try section("answer"), authority: try section("authority"), additional: try section("additional"))
        message.rcode = RCode(response.rcode)
        return (message, question)
    }

    /// A validator anchored on the example zone's SEP keys, answering DNSKEY lookups from
    /// Appendix A, at a time inside the signatures' validity.
    static func validator(_ appendix: String) throws -> DNSSECValidator {
        let zone = try VectorFiles.records(VectorFiles.text("rfc-derived/\(appendix)/appendixA.zone"))
        var anchors = TrustAnchorStore()
        anchors.add(records: zone.filter { ($0.rdata as? DNSKEY)?.isSecureEntryPoint == true })
        #expect(!anchors.isEmpty)
        let now: UInt64 = appendix == "rfc4035" ? try VectorFiles.time("20040420000000") : try VectorFiles.time("20120420235959")
        return DNSSECValidator(anchors: anchors, fetcher: RecordsFetcher(records: zone), clock: { now })
    }

    @Test(arguments: ["rfc4035", "rfc5155"])
    func appendixBResponsesProveTheirClaim(appendix: String) async throws {
        let validator = try Self.validator(appendix)
        let responses = try Self.responses(appendix)
        #expect(responses.count == (appendix == "rfc4035" ? 8 : 7), "B.1-B.8 of RFC 4035, B.1-B.6 with B.2.1 of RFC 5155")
        for response in responses {
            let expected = try #require(Self.expectations[response.file], "no expectation for \(response.file)")
            let (message, question) = try Self.message(response)
            let isReferral = Self.referrals.contains(response.file)
            let result = isReferral
                ? await validator.validateReferral(message, for: question) : await validator.validate(message, for: question)
            #expect(result.status.name == expected, "\(response.file): \(result.status)")
            if isReferral { #expect(await validator.validate(message, for: question).status.isBogus, "\(response.file)") }
            if result.status.isSecure { #expect(result.ttl != nil) }
        }
    }

    /// A tampered response is bogus: the first signature of each section flipped.
    @Test(arguments: ["rfc4035", "rfc5155"])
    func tamperedAppendixBResponsesAreBogus(appendix: String) async throws {
        let validator = try Self.validator(appendix)
        for response in try Self.responses(appendix) where Self.expectations[response.file] == "secure" {
            var (message, question) = try Self.message(response)
            let isReferral = Self.referrals.contains(response.file)
            var tampered = false
            for index in message.answers.indices + message.authority.indices.map({ $0 + message.answers.count }) {
                let inAnswer = index < message.answers.count
                var record = inAnswer ? message.answers[index] : message.authority[index - message.answers.count]
                guard var rrsig = record.rdata as? RRSIG, !tampered, rrsig.typeCovered != .ns else { continue }
                rrsig.signature[rrsig.signature.count / 2] ^= 0x01
                record.rdata = rrsig
                if inAnswer { message.answers[index] = record } else { message.authority[index - message.answers.count] = record }
                tampered = true
            }
            #expect(tampered, "\(response.file)")
            let result = isReferral
                ? await validator.validateReferral(message, for: question) : await validator.validate(message, for: question)
            #expect(result.status.isBogus, "\(response.file): \(result.status)")
        }
    }

    /// RFC 5155 B.1, B.4 and B.5 with the Opt-Out flag taken off their NSEC3 records prove the
    /// name error, wildcard answer and wildcard NODATA (checked without signatures).
    @Test func optOutCleared() throws {
        let responses = try Self.responses("rfc5155")
        func records(_ file: String, clearOptOut: Bool) throws -> (Response, [NSEC3Record]) {
            let response = try #require(responses.first { $0.file == "rfc5155/appendixB/\(file)" })
            let (message, _) = try Self.message(response)
            let nsec3 = message.authority.compactMap { record -> NSEC3Record? in
                guard var rdata = record.rdata as? NSEC3 else { return nil }
                if clearOptOut { rdata.flags &= 0xFE }
                return NSEC3Record(owner: record.owner, nsec3: rdata)
            }
            return (response, nsec3)
        }
        for clear in [true, false] {
            let want: DenialProof = clear ? .proven : .optOut
            let (b1, r1) = try records("B.1.txt", clearOptOut: clear)
            var p1 = NSEC3Denial(zone: "example.", records: r1)
            #expect(p1.nameError(try Name(presentation: b1.qname)) == want)
            let (_, r4) = try records("B.4.txt", clearOptOut: clear)
            var p4 = NSEC3Denial(zone: "example.", records: r4)
            #expect(p4.wildcardAnswer("a.z.w.example.", source: "w.example.") == want)
            let (_, r5) = try records("B.5.txt", clearOptOut: clear)
            var p5 = NSEC3Denial(zone: "example.", records: r5)
            #expect(p5.noData("a.z.w.example.", type: .aaaa) == want)
        }
    }
}
