import Authority
import DNSWire
import Testing

/// `QueryAnswerer.answer(query:)`, pure: one test per case of RFC 1034 §4.3.2, RFC 4592,
/// RFC 2308 and the refusals.
@Suite struct AnswerTests {
    @Test func authoritativeAnswerForAnAddress() throws {
        let response = try ask(answerer(makeZone()), "www.example.", .a)
        #expect(response.rcode == .noError)
        #expect(response.header.isAuthoritative)
        #expect(response.header.isResponse)
        #expect(response.header.id == 0x1234)
        #expect(response.answers.summary == ["www.example. A"])
        #expect(response.authority.isEmpty)
        #expect(response.edns?.udpPayloadSize == 1232)
    }

    @Test func matchingIgnoresCase() throws {
        let response = try ask(answerer(makeZone()), "WwW.ExAmPlE.", .aaaa)
        #expect(response.answers.count == 1)
        #expect(response.answers.first?.type == .aaaa)
    }

    @Test func mxAnswerCarriesTheExchangeAddress() throws {
        let response = try ask(answerer(makeZone()), "example.", .mx)
        #expect(response.answers.summary == ["example. MX"])
        #expect(response.additional.summary == ["mail.example. A"])
    }

    @Test func srvAndTLSAAnswers() throws {
        let zone = try answerer(makeZone())
        #expect(try ask(zone, "_xmpp-client._tcp.example.", .srv).answers.summary == ["_xmpp-client._tcp.example. SRV"])
        let tlsa = try ask(zone, "_25._tcp.mail.example.", .tlsa)
        #expect(tlsa.answers.first?.rdata is TLSA)
    }

    @Test func cnameChainIsFollowedInsideTheZone() throws {
        let response = try ask(answerer(makeZone()), "alias2.example.", .a)
        #expect(response.answers.summary == ["alias2.example. CNAME", "alias.example. CNAME", "www.example. A"])
        #expect(response.header.isAuthoritative)
    }

    @Test func cnameQuestionIsNotFollowed() throws {
        let response = try ask(answerer(makeZone()), "alias2.example.", .cname)
        #expect(response.answers.summary == ["alias2.example. CNAME"])
    }

    @Test func cnameLeavingTheZoneStops() throws {
        let response = try ask(answerer(makeZone()), "outside.example.", .a)
        #expect(response.rcode == .noError)
        #expect(response.answers.summary == ["outside.example. CNAME"])
    }

    @Test func cnameLoopEnds() throws {
        let response = try ask(answerer(makeZone()), "loop1.example.", .a)
        #expect(response.answers.summary == ["loop1.example. CNAME", "loop2.example. CNAME"])
    }

    @Test func wildcardSynthesisesTheQueryName() throws {
        let response = try ask(answerer(makeZone()), "anything.wild.example.", .a)
        #expect(response.rcode == .noError)
        #expect(response.header.isAuthoritative)
        #expect(response.answers.summary == ["anything.wild.example. A"])
    }

    @Test func wildcardAppliesOnlyOneLevelOfClosestEncloser() throws {
        // RFC 4592 §2.2.1: x.y.wild has closest encloser wild., so *.wild still matches.
        let response = try ask(answerer(makeZone()), "x.y.wild.example.", .txt)
        #expect(response.answers.summary == ["x.y.wild.example. TXT"])
    }

    @Test func wildcardNoData() throws {
        let response = try ask(answerer(makeZone()), "anything.wild.example.", .mx)
        #expect(response.rcode == .noError)
        #expect(response.answers.isEmpty)
        #expect(response.authority.summary == ["example. SOA"])
    }

    @Test func emptyNonTerminalBlocksTheWildcardAndAnswersNoData() throws {
        // b.c.ent exists as an empty non-terminal: NODATA, and *.ent does not apply to it
        // (RFC 4592 §2.2.2).
        let zone = try answerer(makeZone())
        let response = try ask(zone, "b.c.ent.example.", .a)
        #expect(response.rcode == .noError)
        #expect(response.answers.isEmpty)
        // A name below ent that does not exist is synthesised from *.ent.
        #expect(try ask(zone, "zzz.ent.example.", .a).answers.summary == ["zzz.ent.example. A"])
        // The wildcard itself exists.
        #expect(try ask(zone, "c.ent.example.", .a).answers.isEmpty)
    }

    @Test func nameErrorHasTheSOAWithTheNegativeTTL() throws {
        let response = try ask(answerer(makeZone()), "nothing.example.", .a)
        #expect(response.rcode == .nxDomain)
        #expect(response.header.isAuthoritative)
        #expect(response.answers.isEmpty)
        #expect(response.authority.summary == ["example. SOA"])
        // RFC 2308 §3: min(SOA TTL 3600, MINIMUM 300).
        #expect(response.authority.first?.ttl == 300)
    }

    @Test func noDataHasTheSOA() throws {
        let response = try ask(answerer(makeZone()), "www.example.", .mx)
        #expect(response.rcode == .noError)
        #expect(response.answers.isEmpty)
        #expect(response.authority.summary == ["example. SOA"])
    }

    @Test func cnameToANameErrorIsNXDOMAIN() throws {
        let text = exampleZoneText + "dangling CNAME missing.example.\n"
        let response = try ask(answerer(makeZone(text)), "dangling.example.", .a)
        #expect(response.rcode == .nxDomain)  // RFC 6604 §2
        #expect(response.answers.summary == ["dangling.example. CNAME"])
    }

    @Test func referralHasNSAndGlueAndIsNotAuthoritative() throws {
        let response = try ask(answerer(makeZone()), "host.sub.example.", .a)
        #expect(response.rcode == .noError)
        #expect(!response.header.isAuthoritative)
        #expect(response.answers.isEmpty)
        #expect(response.authority.summary == ["sub.example. NS"])
        #expect(response.additional.summary == ["ns.sub.example. A"])
    }

    @Test func referralAtTheCutItself() throws {
        let response = try ask(answerer(makeZone()), "sub.example.", .a)
        #expect(response.authority.summary == ["sub.example. NS"])
        #expect(!response.header.isAuthoritative)
    }

    @Test func referralCarriesDSOnlyWithDO() throws {
        let zone = try answerer(makeZone())
        #expect(try ask(zone, "www.secure.example.", .a).authority.summary == ["secure.example. NS"])
        #expect(
            try ask(zone, "www.secure.example.", .a, dnssec: true).authority.summary == [
                "secure.example. NS", "secure.example. DS",
            ])
    }

    @Test func dsQuestionAtACutIsAnsweredByTheParent() throws {
        let response = try ask(answerer(makeZone()), "secure.example.", .ds)
        #expect(response.header.isAuthoritative)
        #expect(response.answers.summary == ["secure.example. DS"])
    }

    @Test func dsQuestionGoesToTheParentWhenBothZonesAreHosted() throws {
        let both = try answerer(makeZone(), makeZone(secureChildZoneText, origin: "secure.example."))
        let ds = try ask(both, "secure.example.", .ds)
        #expect(ds.answers.summary == ["secure.example. DS"])
        #expect(ds.header.isAuthoritative)
        // Everything else at and below the child apex comes from the child.
        let host = try ask(both, "host.secure.example.", .a)
        #expect(host.header.isAuthoritative)
        #expect(host.answers.summary == ["host.secure.example. A"])
        let soa = try ask(both, "secure.example.", .soa)
        #expect((soa.answers.first?.rdata as? SOA)?.serial == 7)
    }

    @Test func dnameSynthesisesACNAMEAndFollowsIt() throws {
        let text = exampleZoneText + "moved DNAME c.ent\n"
        let zone = try answerer(makeZone(text))
        let response = try ask(zone, "a.b.moved.example.", .a)
        #expect(response.answers.summary == ["moved.example. DNAME", "a.b.moved.example. CNAME", "a.b.c.ent.example. A"])
        let cname = try #require(response.answers.first { $0.type == .cname })
        #expect((cname.rdata as? CNAME)?.target == (try Name(presentation: "a.b.c.ent.example.")))
        #expect(try ask(zone, "nothing.moved.example.", .a).rcode == .nxDomain)
        // The DNAME owner itself is not redirected.
        #expect(try ask(zone, "moved.example.", .dname).answers.summary == ["moved.example. DNAME"])
    }

    @Test func dnameMakingANameTooLongIsYXDOMAIN() throws {
        let long = String(repeating: "a", count: 63)
        let text = exampleZoneText + "short DNAME \(long).\(long).\(long).example.\n"
        let response = try ask(answerer(makeZone(text)), "\(long).\(long).short.example.", .a)
        #expect(response.rcode == .yxDomain)
    }

    @Test func anyReturnsEveryRRset() throws {
        let response = try ask(answerer(makeZone()), "www.example.", .any)
        #expect(Set(response.answers.map(\.type)) == [.a, .aaaa])
    }

    // MARK: Refusals and errors

    @Test func nameOutsideOurZonesIsRefused() throws {
        let response = try ask(answerer(makeZone()), "www.example.org.", .a)
        #expect(response.rcode == .refused)
        #expect(!response.header.isAuthoritative)
    }

    @Test func otherClassIsRefused() throws {
        var query = Message.query(id: 1, name: try Name(presentation: "www.example."), type: .a, rrClass: .chaos)
        query.header.recursionDesired = false
        #expect(try answerer(makeZone()).answer(query: query).rcode == .refused)
    }

    @Test func zoneTransfersAreRefused() throws {
        let zone = try answerer(makeZone())
        #expect(try ask(zone, "example.", .axfr).rcode == .refused)
        #expect(try ask(zone, "example.", .ixfr).rcode == .refused)
    }

    @Test func opcodeOtherThanQueryIsNotImplemented() throws {
        var query = Message.query(id: 9, name: try Name(presentation: "example."), type: .soa)
        query.header.opcode = .update
        let response = try answerer(makeZone()).answer(query: query)
        #expect(response.rcode == .notImp)
    }

    @Test func twoQuestionsAreAFormatError() throws {
        var query = Message.query(id: 9, name: try Name(presentation: "example."), type: .soa)
        query.questions.append(query.questions[0])
        #expect(try answerer(makeZone()).answer(query: query).rcode == .formErr)
        query.questions = []
        #expect(try answerer(makeZone()).answer(query: query).rcode == .formErr)
    }

    @Test func unknownEDNSVersionIsBADVERS() throws {
        var query = Message.query(id: 9, name: try Name(presentation: "example."), type: .soa)
        query.edns?.version = 1
        let response = try answerer(makeZone()).answer(query: query)
        #expect(response.rcode == .badVers)
        #expect(response.edns?.version == 0)
    }

    @Test func withoutEDNSTheResponseHasNoOPT() throws {
        let response = try ask(answerer(makeZone()), "www.example.", .a, edns: false)
        #expect(response.edns == nil)
        #expect(response.answers.count == 1)
    }
}
