import Cryptography
import DNSSEC
import DNSWire
import Testing

/// The chain walker over a hierarchy signed in the test: root (anchor) → test. → example.test.
@Suite struct ChainWalkerTests {
    @Test func secureTLSAThroughThreeZoneCuts() async throws {
        let hierarchy = try TestHierarchy()
        let fetcher = try hierarchy.fetcher()
        let validator = try hierarchy.validator(fetcher)
        let (response, result) = await validator.lookup(TestHierarchy.tlsaName, .tlsa)
        #expect(result.status == .secure, "\(result)")
        #expect(response?.answers.contains { $0.type == .tlsa } == true)
        #expect(result.chain.map(\.zone) == [.root, "test.", "example.test."])
        #expect(result.chain.last?.keyTags == [hierarchy.example.keyTag])
        #expect(result.chain.last?.algorithms == [13])
        #expect(result.ttl == 300)
        let coldLookups = fetcher.lookupCount
        #expect(coldLookups == 6)  // TLSA, DNSKEY ., DS test., DNSKEY test., DS example.test., DNSKEY example.test.

        // Warm: the key sets come from the cache; only the answer itself is fetched.
        let (_, again) = await validator.lookup(TestHierarchy.tlsaName, .tlsa)
        #expect(again.status == .secure)
        #expect(fetcher.lookupCount == coldLookups + 1)
        #expect(again.chain == result.chain)
    }

    @Test(arguments: [DNSSECAlgorithm.rsaSHA256, .rsaSHA512, .ecdsaP384SHA384, .ed25519, .ed448])
    func secureWithEveryAlgorithm(algorithm: DNSSECAlgorithm) async throws {
        let hierarchy = try TestHierarchy(exampleAlgorithm: algorithm)
        let validator = try hierarchy.validator(try hierarchy.fetcher())
        let (_, result) = await validator.lookup(TestHierarchy.tlsaName, .tlsa)
        #expect(result.status == .secure, "\(algorithm): \(result)")
        #expect(result.chain.last?.algorithms == [algorithm.rawValue])
    }

    /// The DS set names algorithms 13 and 15; the data carries only a 13 signature. The default
    /// refuses it (issue 5: no algorithm downgrade); RFC 6840 §5.11's lenient rule accepts it.
    @Test func algorithmPolicy() async throws {
        var hierarchy = try TestHierarchy()
        let edwards = try TestZone("example.test.", algorithm: .ed25519)
        hierarchy.example.records.append(Record(owner: "example.test.", ttl: 3600, rdata: edwards.dnskey))
        hierarchy.tld.add("example.test.", 3600, try edwards.ds())
        let strict = try hierarchy.validator(try hierarchy.fetcher())
        let (_, refused) = await strict.lookup(TestHierarchy.tlsaName, .tlsa)
        #expect(refused.status.isBogus, "\(refused)")
        let lenient = try hierarchy.validator(
            try hierarchy.fetcher(), configuration: ValidatorConfiguration(requireEveryDSAlgorithm: false))
        let (_, accepted) = await lenient.lookup(TestHierarchy.tlsaName, .tlsa)
        #expect(accepted.status == .secure, "\(accepted)")
    }

    @Test func unsignedDelegationIsInsecure() async throws {
        let hierarchy = try TestHierarchy()
        let validator = try hierarchy.validator(try hierarchy.fetcher())
        let (_, result) = await validator.lookup("host.unsigned.test.", .a)
        #expect(result.status.isInsecure, "\(result)")
        #expect(result.chain.last == ChainLink(zone: "unsigned.test.", kind: .insecureDelegation))
    }

    @Test func dsMatchingNoKeyIsBogus() async throws {
        var hierarchy = try TestHierarchy()
        hierarchy.tld.records.removeAll { $0.type == .ds }
        var ds = try hierarchy.example.ds()
        ds.digest[3] ^= 0x40
        hierarchy.tld.add("example.test.", 3600, ds)
        let validator = try hierarchy.validator(try hierarchy.fetcher())
        let (_, result) = await validator.lookup(TestHierarchy.tlsaName, .tlsa)
        #expect(result.status.reason?.code == .dnskeyMissing, "\(result)")
        #expect(result.status.isBogus)
    }

    @Test func expiredSignaturesAreBogus() async throws {
        var hierarchy = try TestHierarchy()
        hierarchy.example.inception = TestZone.now - 20 * 86_400
        hierarchy.example.expiration = TestZone.now - 86_400
        let validator = try hierarchy.validator(try hierarchy.fetcher())
        let (_, result) = await validator.lookup(TestHierarchy.tlsaName, .tlsa)
        #expect(result.status.isBogus)
        #expect(result.status.reason?.code == .signatureExpired, "\(result)")
    }

    @Test func signatureByAKeyNotInTheDNSKEYSetIsBogus() async throws {
        let hierarchy = try TestHierarchy()
        let stranger = try TestZone("example.test.")
        let tlsa = RRset(
            owner: TestHierarchy.tlsaName, type: .tlsa, rrClass: .internet, ttl: 300, rdatas: [TestHierarchy.tlsa])
        let message = Message(
            header: Header(isResponse: true), questions: [Question(name: TestHierarchy.tlsaName, type: .tlsa)],
            answers: tlsa.records + [Record(owner: TestHierarchy.tlsaName, ttl: 300, rdata: try stranger.sign(tlsa))])
        let validator = try hierarchy.validator(try hierarchy.fetcher())
        let result = await validator.validate(message, for: Question(name: TestHierarchy.tlsaName, type: .tlsa))
        #expect(result.status.isBogus)
        #expect(result.status.reason?.code == .dnskeyMissing, "\(result)")
    }

    @Test func strippedSignaturesAreBogus() async throws {
        let hierarchy = try TestHierarchy()
        let message = Message(
            header: Header(isResponse: true), questions: [Question(name: TestHierarchy.tlsaName, type: .tlsa)],
            answers: [Record(owner: TestHierarchy.tlsaName, ttl: 300, rdata: TestHierarchy.tlsa)])
        let validator = try hierarchy.validator(try hierarchy.fetcher())
        let result = await validator.validate(message, for: Question(name: TestHierarchy.tlsaName, type: .tlsa))
        #expect(result.status.reason?.code == .rrsigsMissing, "\(result)")
    }

    @Test(arguments: ["nsec", "nsec3"])
    func nxdomainAndNodataAreProven(denial: String) async throws {
        let hierarchy = try TestHierarchy(denial: denial)
        let validator = try hierarchy.validator(try hierarchy.fetcher())
        let (nx, nxResult) = await validator.lookup("nope.example.test.", .tlsa)
        #expect(nx?.rcode == .nxDomain)
        #expect(nxResult.status == .secure, "\(denial) NXDOMAIN: \(nxResult)")
        let (_, noData) = await validator.lookup(TestHierarchy.tlsaName, .a)
        #expect(noData.status == .secure, "\(denial) NODATA: \(noData)")
        let (_, ent) = await validator.lookup("_tcp.mail.example.test.", .tlsa)
        #expect(ent.status == .secure, "\(denial) empty non-terminal: \(ent)")
    }

    @Test func nxdomainWithoutProofIsBogus() async throws {
        let hierarchy = try TestHierarchy()
        var message = Message(
            header: Header(isResponse: true), questions: [Question(name: "nope.example.test.", type: .a)])
        message.rcode = .nxDomain
        let validator = try hierarchy.validator(try hierarchy.fetcher())
        let result = await validator.validate(message, for: Question(name: "nope.example.test.", type: .a))
        #expect(result.status.isBogus)
        #expect(result.status.reason?.code == .nsecMissing, "\(result)")
    }

    @Test func nsec3IterationsAboveTheLimitAreInsecure() async throws {
        let hierarchy = try TestHierarchy(denial: "nsec3", nsec3Iterations: 20)
        let validator = try hierarchy.validator(
            try hierarchy.fetcher(), configuration: ValidatorConfiguration(nsec3IterationLimit: 10))
        let (_, result) = await validator.lookup("nope.example.test.", .a)
        #expect(result.status.isInsecure, "\(result)")
        #expect(result.status.reason?.code == .unsupportedNSEC3IterationsValue)
    }

    @Test func cnameIntoAnotherSignedZone() async throws {
        let hierarchy = try TestHierarchy()
        let fetcher = try hierarchy.fetcher()
        let records =
            try hierarchy.example.signed().filter {
                $0.owner == "alias.example.test." && ($0.type == .cname || $0.type == .rrsig)
            }
            + (try hierarchy.tld.signed()).filter {
                $0.owner == "www.test." && ($0.type == .a || ($0.rdata as? RRSIG)?.typeCovered == .a)
            }
        let question = Question(name: "alias.example.test.", type: .a)
        let message = Message(header: Header(isResponse: true), questions: [question], answers: records)
        let validator = try hierarchy.validator(fetcher)
        let result = await validator.validate(message, for: question)
        #expect(result.status == .secure, "\(result)")
        #expect(result.names == ["alias.example.test.", "www.test."])
        // A CNAME whose target's data is forged is bogus.
        var forged = message
        forged.answers = forged.answers.map { record in
            guard record.type == .a else { return record }
            var copy = record
            copy.rdata = A(192, 0, 2, 66)
            return copy
        }
        #expect((await validator.validate(forged, for: question)).status.isBogus)
    }

    @Test func dnameWithUnsignedSynthesizedCNAME() async throws {
        let hierarchy = try TestHierarchy()
        let question = Question(name: "x.dname.example.test.", type: .a)
        let dname = try hierarchy.example.signed().filter {
            $0.owner == "dname.example.test." && ($0.type == .dname || ($0.rdata as? RRSIG)?.typeCovered == .dname)
        }
        let target = try hierarchy.tld.signed().filter {
            $0.owner == "x.test." && ($0.type == .a || ($0.rdata as? RRSIG)?.typeCovered == .a)
        }
        let synthesized = Record(owner: "x.dname.example.test.", ttl: 600, rdata: CNAME("x.test."))
        let message = Message(
            header: Header(isResponse: true), questions: [question], answers: dname + [synthesized] + target)
        let validator = try hierarchy.validator(try hierarchy.fetcher())
        let result = await validator.validate(message, for: question)
        #expect(result.status == .secure, "\(result)")
        #expect(result.names == ["x.dname.example.test.", "x.test."])
    }

    @Test func chainToAName() async throws {
        let hierarchy = try TestHierarchy()
        let validator = try hierarchy.validator(try hierarchy.fetcher())
        let secure = await validator.chain(to: "www.example.test.")
        #expect(secure.status == .secure)
        #expect(secure.chain.map(\.zone) == [.root, "test.", "example.test."])
        let insecure = await validator.chain(to: "host.unsigned.test.")
        #expect(insecure.status.isInsecure)
        #expect(insecure.chain.map(\.kind) == [.trustAnchor, .delegation, .insecureDelegation])
    }

    @Test func noTrustAnchorIsIndeterminate() async throws {
        let hierarchy = try TestHierarchy()
        let validator = DNSSECValidator(
            anchors: TrustAnchorStore(), fetcher: try hierarchy.fetcher(), clock: { UInt64(TestZone.now) })
        let (_, result) = await validator.lookup(TestHierarchy.tlsaName, .tlsa)
        #expect(result.status.isIndeterminate, "\(result)")
    }

    @Test func cachedChainExpiresWithItsSignatures() async throws {
        let hierarchy = try TestHierarchy()
        let fetcher = try hierarchy.fetcher()
        let validator = try hierarchy.validator(fetcher)
        _ = await validator.lookup(TestHierarchy.tlsaName, .tlsa)
        #expect(await validator.cachedNameCount == 3)
        await validator.flushCache()
        #expect(await validator.cachedNameCount == 0)
    }
}

/// DESIGN rule 10: validated data lasts no longer than any signature on its chain, not only
/// its own: here the TLD's signatures (over the DS of example.test.) expire in 100 s while the
/// TLSA record's own TTL is 300 s.
@Suite struct ChainLifetimeTests {
    @Test func answerLifetimeIsCappedByTheParentsSignatureExpiry() async throws {
        var hierarchy = try TestHierarchy()
        hierarchy.tld.expiration = TestZone.now + 100
        let validator = try hierarchy.validator(try hierarchy.fetcher())
        let (_, result) = await validator.lookup(TestHierarchy.tlsaName, .tlsa)
        #expect(result.status == .secure, "\(result)")
        #expect(
            (result.ttl ?? .max) <= 100, "cached for \(String(describing: result.ttl)) s past the DS signature's expiry"
        )
        // Warm: the cached key sets keep the cap.
        let (_, again) = await validator.lookup(TestHierarchy.tlsaName, .tlsa)
        #expect((again.ttl ?? .max) <= 100)
    }
}
