import Authority
import DNSSEC
import DNSWire
import Testing

/// Answers with the DO bit from zones signed in the test: RRSIGs with each RRset, and the
/// NSEC (RFC 4035 §3.1.3) or NSEC3 (RFC 5155 §7.2) records that prove each denial.
@Suite struct SignedAnswerTests {
    static let nsecZone = Result { try makeSignedZone() }
    static let nsec3Zone = Result { try makeSignedZone(denial: .nsec3(NSEC3Parameters(salt: [0xAB, 0xCD], iterations: 1))) }
    static let optOutZone = Result { try makeSignedZone(denial: .nsec3(NSEC3Parameters(optOut: true))) }

    @Test func positiveAnswerCarriesItsRRSIG() throws {
        let response = try ask(answerer(Self.nsecZone.get()), "www.example.", .a, dnssec: true)
        #expect(response.answers.summary == ["www.example. A", "www.example. RRSIG"])
        #expect(response.edns?.dnssecOK == true)
        // Without DO, no RRSIG (RFC 4035 §3.1.1).
        #expect(try ask(answerer(Self.nsecZone.get()), "www.example.", .a).answers.count == 1)
    }

    @Test func nsecNameErrorProvesTheNameAndTheWildcard() throws {
        let response = try ask(answerer(Self.nsecZone.get()), "nothing.example.", .a, dnssec: true)
        #expect(response.rcode == .nxDomain)
        let nsecs = response.authority.of(.nsec)
        let name = name("nothing.example.")
        let wildcard = try Name(presentation: "*.example.")
        #expect(nsecs.contains { covers($0, name) })
        #expect(nsecs.contains { covers($0, wildcard) })
        #expect(Set(response.authority.coveredTypes) == [.soa, .nsec])
    }

    @Test func nsecNoDataShowsTheTypesAtTheName() throws {
        let response = try ask(answerer(Self.nsecZone.get()), "www.example.", .mx, dnssec: true)
        let nsec = try #require(response.authority.of(.nsec).first)
        #expect(nsec.owner == (try Name(presentation: "www.example.")))
        #expect((nsec.rdata as? NSEC)?.types.contains(.mx) == false)
    }

    @Test func nsecWildcardAnswerProvesTheQueryNameAbsent() throws {
        let response = try ask(answerer(Self.nsecZone.get()), "x.wild.example.", .a, dnssec: true)
        let signature = try #require(response.answers.of(.rrsig).first?.rdata as? RRSIG)
        #expect(signature.labels == 2)  // the wildcard's labels, not the query name's
        #expect(response.answers.of(.rrsig).first?.owner == (try Name(presentation: "x.wild.example.")))
        let name = name("x.wild.example.")
        #expect(response.authority.of(.nsec).contains { covers($0, name) })
    }

    @Test func nsecUnsignedDelegationHasTheNSECProvingNoDS() throws {
        let response = try ask(answerer(Self.nsecZone.get()), "host.sub.example.", .a, dnssec: true)
        #expect(!response.header.isAuthoritative)
        let nsec = try #require(response.authority.of(.nsec).first?.rdata as? NSEC)
        #expect(nsec.types.contains(.ns) && !nsec.types.contains(.ds))
        #expect(response.authority.first?.type == .ns)
    }

    @Test func signedDelegationHasTheSignedDS() throws {
        let response = try ask(answerer(Self.nsecZone.get()), "host.secure.example.", .a, dnssec: true)
        #expect(response.authority.summary == ["secure.example. NS", "secure.example. DS", "secure.example. RRSIG"])
    }

    @Test func nsec3NameErrorHasTheClosestEncloserProof() throws {
        let zone = try Self.nsec3Zone.get()
        let response = try ask(answerer(zone), "a.nothing.www.example.", .a, dnssec: true)
        #expect(response.rcode == .nxDomain)
        let records = response.authority.of(.nsec3)
        let salt: [UInt8] = [0xAB, 0xCD]
        // Closest encloser www.example matches; next closer nothing.www.example and the
        // wildcard *.www.example are covered.
        #expect(records.contains { matches($0, name("www.example."), salt: salt) })
        #expect(records.contains { nsec3Covers($0, name("nothing.www.example."), salt: salt) })
        #expect(records.contains { nsec3Covers($0, name("*.www.example."), salt: salt) })
    }

    @Test func nsec3NoDataMatchesTheName() throws {
        let response = try ask(answerer(Self.nsec3Zone.get()), "www.example.", .txt, dnssec: true)
        let records = response.authority.of(.nsec3)
        #expect(records.count == 1)
        #expect(records.contains { matches($0, name("www.example."), salt: [0xAB, 0xCD]) })
    }

    @Test func nsec3EmptyNonTerminalHasItsOwnNSEC3() throws {
        let response = try ask(answerer(Self.nsec3Zone.get()), "c.ent.example.", .a, dnssec: true)
        let records = response.authority.of(.nsec3)
        #expect(records.contains { matches($0, name("c.ent.example."), salt: [0xAB, 0xCD]) })
    }

    @Test func nsec3WildcardAnswerCoversTheNextCloserName() throws {
        let response = try ask(answerer(Self.nsec3Zone.get()), "x.wild.example.", .a, dnssec: true)
        let records = response.authority.of(.nsec3)
        #expect(records.contains { nsec3Covers($0, name("x.wild.example."), salt: [0xAB, 0xCD]) })
    }

    @Test func optOutDelegationIsProvenByTheCoveringOptOutNSEC3() throws {
        let response = try ask(answerer(Self.optOutZone.get()), "host.sub.example.", .a, dnssec: true)
        let records = response.authority.of(.nsec3)
        #expect(records.contains { matches($0, name("example."), salt: []) })
        let cover = try #require(records.first { nsec3Covers($0, name("sub.example."), salt: []) })
        #expect((cover.rdata as? NSEC3)?.isOptOut == true)
    }
}

/// True when the NSEC record `record` covers `name` (owner < name < next, canonical order,
/// with the last NSEC wrapping to the apex).
func covers(_ record: Record, _ name: Name) -> Bool {
    guard let nsec = record.rdata as? NSEC else { return false }
    if record.owner < nsec.nextName { return record.owner < name && name < nsec.nextName }
    return record.owner < name  // the last NSEC, whose next name is the apex
}

func hashOf(_ name: Name, salt: [UInt8]) -> [UInt8] {
    NSEC3Hash.hash(name, salt: salt, iterations: salt.isEmpty ? 0 : 1) ?? []
}

func ownerHash(_ record: Record) -> [UInt8] {
    record.owner.labels.first.flatMap { BinaryText.decodeBase32Hex($0) } ?? []
}

func matches(_ record: Record, _ name: Name, salt: [UInt8]) -> Bool {
    ownerHash(record) == hashOf(name, salt: salt)
}

func nsec3Covers(_ record: Record, _ name: Name, salt: [UInt8]) -> Bool {
    guard let nsec3 = record.rdata as? NSEC3 else { return false }
    let owner = ownerHash(record)
    let next = nsec3.nextHashedOwner
    let hash = hashOf(name, salt: salt)
    if owner.lexicographicallyPrecedes(next) {
        return owner.lexicographicallyPrecedes(hash) && hash.lexicographicallyPrecedes(next)
    }
    // The last NSEC3 wraps around.
    return owner.lexicographicallyPrecedes(hash) || hash.lexicographicallyPrecedes(next)
}

/// A name from a literal the test knows to be valid.
func name(_ text: String) -> Name {
    (try? Name(presentation: text)) ?? .root
}
