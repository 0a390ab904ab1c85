import DNSSEC
import DNSWire
import Testing
import TestSupport
import TLS

@testable import DANE

@Suite struct PolicyTests {
    @Test func reasonCodesAreTheIssueVocabulary() {
        #expect(DANEReason.allCases.map(\.rawValue) == [
            "dane-no-match", "dane-name-mismatch", "tlsa-bogus", "tlsa-lookup-failed", "tlsa-unusable", "tlsa-insecure",
            "no-tlsa", "mx-insecure", "srv-insecure", "starttls-not-supported", "starttls-injection",
            "tls-handshake-failed", "upstream-unreachable", "timeout",
        ])
    }

    @Test func reasonsMapToRFC8460ResultTypes() {
        #expect(DANEReason.starttlsNotSupported.tlsReportResultType() == "starttls-not-supported")
        #expect(DANEReason.daneNameMismatch.tlsReportResultType() == "certificate-host-mismatch")
        #expect(DANEReason.daneNoMatch.tlsReportResultType() == "certificate-not-trusted")
        #expect(DANEReason.daneNoMatch.tlsReportResultType(verifyResult: .certificateExpired) == "certificate-expired")
        #expect(DANEReason.tlsaUnusable.tlsReportResultType() == "tlsa-invalid")
        #expect(DANEReason.tlsaBogus.tlsReportResultType() == "dnssec-invalid")
        #expect(DANEReason.noTLSA.tlsReportResultType() == "dane-required")
        #expect(DANEReason.starttlsInjection.tlsReportResultType() == "validation-failure")
    }

    @Test func exitCategories() {
        #expect(DANEReason.daneNoMatch.category.rawValue == 1)
        #expect(DANEReason.starttlsInjection.category.rawValue == 1)
        #expect(DANEReason.noTLSA.category.rawValue == 2)
        #expect(DANEReason.mxInsecure.category.rawValue == 2)
        #expect(DANEReason.tlsaBogus.category.rawValue == 3)
        #expect(DANEReason.timeout.category.rawValue == 3)
        #expect(DANEReason.upstreamUnreachable.category.rawValue == 4)
    }

    @Test func tlsaNames() throws {
        #expect(try TLSAName.name(port: 25, host: "mx.example").presentation == "_25._tcp.mx.example.")
        #expect(try TLSAName.name(port: 443, transport: "udp", host: "www.example.").presentation == "_443._udp.www.example.")
        #expect(try Name(presentation: "Mail.Example.").hostName == "mail.example")
    }

    private func record(_ usage: UInt8, _ selector: UInt8, _ matching: UInt8, bytes: Int = 32) -> TLSA {
        TLSA(usage: .init(rawValue: usage), selector: .init(rawValue: selector), matchingType: .init(rawValue: matching),
             associationData: [UInt8](repeating: 7, count: bytes))
    }

    @Test func smtpAndXMPPIgnorePKIXUsages() {
        let set = [record(0, 0, 1), record(1, 1, 1), record(2, 0, 1), record(3, 1, 1)]
        for service in [ServiceProtocol.smtp, .xmpp] {
            let (usable, unusable) = TLSAUsability.partition(set, for: service)
            #expect(usable.map(\.usage.rawValue) == [2, 3])
            #expect(unusable.count == 2)
        }
        for service in [ServiceProtocol.https, .irc, .tls] {
            #expect(TLSAUsability.partition(set, for: service).usable.count == 4)
        }
    }

    @Test func unknownCodePointsAndBadLengthsAreUnusable() {
        let set = [record(4, 1, 1), record(3, 2, 1), record(3, 1, 3), record(255, 1, 1), record(3, 1, 1, bytes: 31),
                   record(3, 1, 2, bytes: 32), record(3, 0, 0, bytes: 0)]
        let (usable, unusable) = TLSAUsability.partition(set, for: .https)
        #expect(usable.isEmpty)
        #expect(unusable.count == set.count)
    }

    @Test func presentationTextParses() throws {
        let parsed = try TLSA(presentationText: "3 1 1 0A0B0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252627282900")
        #expect(parsed.usage == .daneEE && parsed.selector == .subjectPublicKeyInfo && parsed.matchingType == .sha256)
        #expect(parsed.associationData.count == 33)
        #expect(try TLSA(presentationText: "DANE-TA SPKI SHA2-256 00").usage == .daneTA)
        #expect(throws: (any Error).self) { try TLSA(presentationText: "3 1") }
        #expect(throws: (any Error).self) { try TLSA(presentationText: "3 1 1 xyz") }
    }

    @Test func generatorAndMatcherAgreeWithTheCommandLine() throws {
        let pki = try TestPKI()
        let leaf = try X509Certificate(pem: try pki.pem(pki.leafCertificate))
        let intermediate = try X509Certificate(pem: try pki.pem(pki.intermediateCertificate))
        #expect(TLSAGenerator.associationData(leaf, selector: .subjectPublicKeyInfo, matchingType: .sha256) == (try pki.spkiSHA256(pki.leafCertificate)))
        #expect(TLSAGenerator.associationData(leaf, selector: .fullCertificate, matchingType: .sha256) == (try pki.certificateSHA256(pki.leafCertificate)))
        #expect(TLSAGenerator.associationData(leaf, selector: .subjectPublicKeyInfo, matchingType: .exact) == (try pki.spkiDER(pki.leafCertificate)))
        #expect(TLSAGenerator.associationData(leaf, selector: .unassigned(9), matchingType: .sha256) == nil)

        let chain = [leaf, intermediate]
        let ee = try #require(TLSAGenerator.record(for: leaf, usage: .daneEE, selector: .subjectPublicKeyInfo, matchingType: .sha512))
        let ta = try #require(TLSAGenerator.record(for: intermediate, usage: .daneTA, selector: .fullCertificate, matchingType: .sha256))
        let eeOnIssuer = try #require(TLSAGenerator.record(for: intermediate, usage: .daneEE, selector: .fullCertificate, matchingType: .sha256))
        #expect(RecordMatcher.outcome(ee, chain: chain) == .matched(depth: 0))
        #expect(RecordMatcher.outcome(ta, chain: chain) == .matched(depth: 1))
        // DANE-EE describes the leaf only.
        #expect(RecordMatcher.outcome(eeOnIssuer, chain: chain) == .noMatch)
        let results = RecordMatcher.results(
            usable: [ee, record(3, 1, 1)], unusable: [UnusableRecord(record: record(0, 0, 1), reason: "pkix")], chain: chain)
        #expect(results.map(\.matched) == [true, false, false])
        #expect(results[2].outcome == .unusable("pkix"))
    }

    /// The answer walk shared by both trust modes follows CNAMEs to the data at the end; a
    /// record beside a CNAME is bogus (RFC 2181 §10.1), not skipped; a loop ends bogus. (This
    /// test read the raw message through the removed `AnswerChain`, which skipped the A beside
    /// the CNAME; issue 9 makes that response bogus.)
    @Test func answerChainFollowsCNAMEs() throws {
        let owner = try Name(presentation: "www.example.")
        let middle = try Name(presentation: "cdn.example.")
        let final = try Name(presentation: "edge.example.")
        let chain = [
            Record(owner: owner, ttl: 60, rdata: CNAME(middle)),
            Record(owner: middle, ttl: 60, rdata: CNAME(final)),
            Record(owner: final, ttl: 60, rdata: A(192, 0, 2, 1)),
        ]
        let question = Question(name: owner, type: .a)
        let walked = ValidationResult.trustingAuthenticatedData(Message(answers: chain), for: question, status: .secure)
        #expect(walked.names == [owner, middle, final])
        #expect(walked.canonicalName == final)
        #expect(walked.answer(ofType: .a).rdatas.count == 1)
        #expect(walked.rrsets.map(\.owner) == [owner, middle, final])
        let beside = Message(answers: chain + [Record(owner: owner, ttl: 60, rdata: A(192, 0, 2, 9))])
        let forged = ValidationResult.trustingAuthenticatedData(beside, for: question, status: .secure)
        #expect(forged.status.isBogus && forged.answer(ofType: .a).rdatas.isEmpty)
        let loop = Message(answers: [Record(owner: owner, ttl: 60, rdata: CNAME(middle)), Record(owner: middle, ttl: 60, rdata: CNAME(owner))])
        #expect(ValidationResult.trustingAuthenticatedData(loop, for: question, status: .secure).status.isBogus)
    }
}
