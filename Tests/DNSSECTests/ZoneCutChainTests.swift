import DNSSEC
import DNSWire
import Testing

/// CNAME chains across zone cuts and toward a closer trust anchor (issue 10), over
/// ``ZoneCutHierarchy``: verdicts as Unbound gives them.
@Suite struct ZoneCutChainTests {
    /// A signed CNAME into an unsigned child whose target has no data of the type, as a
    /// resolver hands it on (the CNAME, the child's unsigned SOA, the parent's proof): the
    /// parent's NSEC or NSEC3 at the delegation (NS bit set, DS bit clear) is the proof that the
    /// target's data is insecure (RFC 4035 §5.2, §4.3), whether the target lies below the cut or
    /// is the cut itself.
    @Test(arguments: ["nsec", "nsec3"])
    func cnameIntoAnUnsignedChildIsInsecure(denial: String) async throws {
        let hierarchy = try ZoneCutHierarchy(denial: denial)
        let validator = try hierarchy.validator()
        let below = try hierarchy.cnameIntoChild("www.example.", .txt)
        let belowResult = await validator.validate(below, for: Question(name: "www.example.", type: .txt))
        #expect(belowResult.status.isInsecure, "\(denial), target below the cut: \(belowResult)")
        #expect(belowResult.names == ["www.example.", "www.child.example."])
        let atCut = try hierarchy.cnameIntoChild("top.example.", .a)
        let atCutResult = await validator.validate(atCut, for: Question(name: "top.example.", type: .a))
        #expect(atCutResult.status.isInsecure, "\(denial), target at the cut: \(atCutResult)")

        // With the child's unsigned address the walk toward it finds the same cut.
        var address = try hierarchy.cnameWithParentProof("www.example.", .a)
        address.answers += hierarchy.childRecords.filter { $0.type == .a }
        let addressResult = await validator.validate(address, for: Question(name: "www.example.", type: .a))
        #expect(addressResult.status.isInsecure, "\(denial), address: \(addressResult)")
    }

    /// The forgery cases stay bogus: an insecure verdict needs a verified proof of a DS-less
    /// delegation, and a CNAME beside other data is never an answer.
    @Test(arguments: ["nsec", "nsec3"])
    func cnameIntoAChildWithoutAVerifiedProofIsBogus(denial: String) async throws {
        let question = Question(name: "www.example.", type: .txt)
        let hierarchy = try ZoneCutHierarchy(denial: denial)
        let validator = try hierarchy.validator()
        let genuine = try hierarchy.cnameIntoChild("www.example.", .txt)

        // The proof's signatures do not verify.
        var tampered = genuine
        tampered.authority = tampered.authority.map { record in
            guard var rrsig = record.rdata as? RRSIG else { return record }
            rrsig.signature[0] ^= 0x80
            var copy = record
            copy.rdata = rrsig
            return copy
        }
        let tamperedResult = await validator.validate(tampered, for: question)
        #expect(tamperedResult.status.isBogus, "\(denial), broken proof: \(tamperedResult)")

        // The child has a DS: the parent's records show a signed delegation, not an unsigned one.
        let signedChild = try ZoneCutHierarchy(denial: denial, signedChild: true)
        let withDS = try signedChild.cnameIntoChild("www.example.", .txt)
        let withDSResult = await (try signedChild.validator()).validate(withDS, for: question)
        #expect(withDSResult.status.isBogus, "\(denial), the cut has a DS: \(withDSResult)")

        // A forged address beside the signed CNAME.
        var beside = genuine
        beside.answers.append(Record(owner: "www.example.", ttl: 300, rdata: TXT(strings: [Array("forged".utf8)])))
        let besideResult = await validator.validate(beside, for: question)
        #expect(besideResult.status.isBogus, "\(denial), CNAME beside a TXT: \(besideResult)")

        // Asked directly, with no CNAME on the way, the name below the cut gets no such leave: a
        // NODATA signed by the parent, which is not authoritative there, proves nothing.
        let signed = try hierarchy.example.signed()
        var direct = Message(
            header: Header(isResponse: true), questions: [Question(name: "www.child.example.", type: .a)],
            authority: ZoneCutHierarchy.denialRecords(signed))
        direct.rcode = .noError
        let directResult = await validator.validate(direct, for: Question(name: "www.child.example.", type: .a))
        #expect(directResult.status.isBogus, "\(denial), direct: \(directResult)")
    }

    /// A chain whose target lies under the closer anchor `a.b.example.` is judged from that
    /// anchor, never by `example.`'s NSEC or NSEC3 (an opt-out span, or the NSEC of the
    /// delegation without DS): bogus when the anchor's DNSKEY RRset is unsigned or its
    /// signature fails.
    @Test(arguments: ["nsec", "nsec3-optout"], [ZoneCutHierarchy.IslandKeys.unsigned, .brokenSignature])
    func cnameTowardACloserAnchorWithBadKeysIsBogus(denial: String, keys: ZoneCutHierarchy.IslandKeys) async throws {
        let hierarchy = try ZoneCutHierarchy(denial: denial, islandKeys: keys)
        let validator = try hierarchy.validator()
        let question = Question(name: "far.example.", type: .a)
        // What example.'s server says: the CNAME and its proofs, among them that a.b.example.
        // has no DS (NSEC) or lies in an opt-out span (NSEC3).
        let first = try hierarchy.cnameWithParentProof("far.example.", .a)
        let firstResult = await validator.validate(first, for: question)
        #expect(firstResult.status.isBogus, "\(denial) \(keys), first response: \(firstResult)")
        #expect(firstResult.status.reason?.code != .nsecMissing, "judged by example.'s records: \(firstResult)")

        // The chased answer: the island's signed address.
        var chased = first
        chased.answers += ZoneCutHierarchy.rrset(try hierarchy.islandSigned(), "www.a.b.example.", .a)
        chased.authority = []
        let chasedResult = await validator.validate(chased, for: question)
        #expect(chasedResult.status.isBogus, "\(denial) \(keys), chased: \(chasedResult)")
    }

    /// The same with the anchor's keys in order: the island's own proof or data makes the
    /// answer secure, and `example.`'s records, even listed first, decide nothing there.
    @Test(arguments: ["nsec", "nsec3-optout"])
    func cnameTowardACloserAnchorIsSecure(denial: String) async throws {
        let hierarchy = try ZoneCutHierarchy(denial: denial)
        let validator = try hierarchy.validator()
        let island = try hierarchy.islandSigned()

        // NODATA at the target: example.'s proof first, then the island's. (The parent's NSEC
        // at the cut shares its owner and type with the island's apex NSEC: never both.)
        let noData = Question(name: "far.example.", type: .aaaa)
        var message = try hierarchy.cnameWithParentProof("far.example.", .aaaa)
        message.authority.removeAll { $0.owner == ZoneCutHierarchy.islandName }
        message.authority += ZoneCutHierarchy.rrset(island, ZoneCutHierarchy.islandName, .soa)
            + ZoneCutHierarchy.denialRecords(island)
        let noDataResult = await validator.validate(message, for: noData)
        #expect(noDataResult.status == .secure, "\(denial), NODATA: \(noDataResult)")
        #expect(noDataResult.chain.contains { $0.zone == ZoneCutHierarchy.islandName && $0.kind == .trustAnchor })

        // The address itself.
        var address = try hierarchy.cnameWithParentProof("far.example.", .a)
        address.answers += ZoneCutHierarchy.rrset(island, "www.a.b.example.", .a)
        let addressResult = await validator.validate(address, for: Question(name: "far.example.", type: .a))
        #expect(addressResult.status == .secure, "\(denial), address: \(addressResult)")

        // Without the island's proof, example.'s records cannot stand in for it.
        let bare = try hierarchy.cnameWithParentProof("far.example.", .aaaa)
        let bareResult = await validator.validate(bare, for: noData)
        #expect(bareResult.status.isBogus, "\(denial), example.'s proof only: \(bareResult)")
    }

    /// A DS lies on the parent's side of the cut: the DS of a zone that has a trust anchor of its
    /// own is judged from the anchor above its parent (as Unbound does), so the parent's signed
    /// DS stays secure.
    @Test func theDSOfAnAnchoredZoneIsItsParents() async throws {
        let hierarchy = try TestHierarchy()
        let anchors = TrustAnchorStore([
            TrustAnchor(zone: .root, ds: [try hierarchy.root.ds()]), TrustAnchor(zone: "example.test.", dnskeys: [hierarchy.example.dnskey]),
        ])
        let validator = DNSSECValidator(anchors: anchors, fetcher: try hierarchy.fetcher(), clock: { UInt64(TestZone.now) })
        let (_, ds) = await validator.lookup("example.test.", .ds)
        #expect(ds.status == .secure, "\(ds)")
        let (_, tlsa) = await validator.lookup(TestHierarchy.tlsaName, .tlsa)
        #expect(tlsa.status == .secure, "\(tlsa)")
    }

    /// The child's apex NSEC (which never lists DS) cannot deny the DS its parent signs: with
    /// the parent's signed records in the response, the parent is the zone that must prove it.
    @Test func aChildApexNSECDoesNotDenyItsOwnDS() async throws {
        let hierarchy = try TestHierarchy()
        let question = Question(name: "example.test.", type: .ds)
        let child = ZoneCutHierarchy.rrset(try hierarchy.example.signed(), "example.test.", .nsec)
        let parent = ZoneCutHierarchy.rrset(try hierarchy.tld.signed(), "www.test.", .nsec)
        let message = Message(header: Header(isResponse: true), questions: [question], authority: child + parent)
        let result = await (try hierarchy.validator(try hierarchy.fetcher())).validate(message, for: question)
        #expect(result.status.isBogus, "\(result)")
    }

    /// Unbound's domain-insecure: data at or below the name is insecure although the parent
    /// signs a DS for it; an anchor at or below the name overrides it.
    @Test func insecureDomainsEndTheChain() async throws {
        let hierarchy = try ZoneCutHierarchy(denial: "nsec")
        let plain = try hierarchy.validator()
        #expect((await plain.lookup("www.a.b.example.", .a)).result.status == .secure)
        #expect((await plain.lookup("far.example.", .cname)).result.status == .secure)
        var configuration = ValidatorConfiguration()
        configuration.insecureDomains = ["example."]
        let configured = try hierarchy.validator(configuration: configuration)
        let (_, cname) = await configured.lookup("far.example.", .cname)
        #expect(cname.status.isInsecure, "\(cname)")
        // The anchor of a.b.example. lies below the insecure domain: it still secures its zone.
        let (_, island) = await configured.lookup("www.a.b.example.", .a)
        #expect(island.status == .secure, "\(island)")
    }
}
