import Cryptography
import DNSSEC
import DNSWire
import Testing

/// One named test per rule of RFC 4035 §5.3.1 and §5.2 that a signature or key set can break.
@Suite struct RejectionTests {
    let zone: TestZone
    let address: RRset

    init() throws {
        zone = try TestZone("example.test.")
        address = RRset(owner: "www.example.test.", type: .a, rrClass: .internet, ttl: 300, rdatas: [A(192, 0, 2, 1)])
    }

    func verify(_ signatures: [RRSIG], rrset: RRset? = nil, keys: ZoneKeySet? = nil, now: UInt32 = TestZone.now) -> RRsetVerification {
        RRsetVerifier.verify(SignedRRset(rrset: rrset ?? address, signatures: signatures), with: keys ?? zone.keySet, now: now)
    }

    func failure(_ result: RRsetVerification) -> ValidationReason? {
        if case .failed(let reason) = result { return reason }
        return nil
    }

    @Test func aGoodSignatureVerifiesAndCapsTheTTL() throws {
        let signature = try zone.sign(address, originalTTL: 120)
        guard case .verified(let ttl, _, let tag) = verify([signature]) else {
            Issue.record("did not verify")
            return
        }
        #expect(tag == zone.keyTag)
        #expect(ttl == 120)  // the Original TTL caps the RRset's 300 (RFC 4035 §5.3.3)
        // Close to expiration, the time left caps it.
        guard case .verified(let late, _, _) = verify([signature], now: TestZone.defaultExpiration - 10) else {
            Issue.record("did not verify near expiration")
            return
        }
        #expect(late == 10)
    }

    @Test func expiredSignature() throws {
        let signature = try zone.sign(address, inception: TestZone.now - 200, expiration: TestZone.now - 100)
        #expect(failure(verify([signature]))?.code == .signatureExpired)
    }

    @Test func notYetValidSignature() throws {
        let signature = try zone.sign(address, inception: TestZone.now + 100, expiration: TestZone.now + 200)
        #expect(failure(verify([signature]))?.code == .signatureNotYetValid)
    }

    @Test func expirationBeforeInception() throws {
        let signature = try zone.sign(address, inception: TestZone.now + 100, expiration: TestZone.now - 100)
        #expect(failure(verify([signature]))?.code == .signatureExpiredBeforeValid)
    }

    @Test func labelsAboveTheOwnersCount() throws {
        var signature = try zone.sign(address)
        signature.labels = 4
        let reason = try #require(failure(verify([signature])))
        #expect(reason.code == .dnssecBogus)
        #expect(reason.text.contains("Labels"))
    }

    @Test func labelsBelowTheOwnersCountIsAWildcardExpansion() throws {
        // Signed as *.example.test, received as www.example.test.
        let wildcard = RRset(owner: "*.example.test.", type: .a, rrClass: .internet, ttl: 300, rdatas: address.rdatas)
        let signature = try zone.sign(wildcard)
        #expect(signature.labels == 2)
        #expect(verify([signature]).isVerified)
        // The same signature with Labels 3 claims www itself was signed: it fails.
        var claimed = signature
        claimed.labels = 3
        #expect(!verify([claimed]).isVerified)
    }

    @Test func wrongTypeCovered() throws {
        let signature = try zone.sign(address, typeCovered: .aaaa)
        let reason = try #require(failure(verify([signature])))
        #expect(reason.text.contains("type covered"))
    }

    @Test func signerIsNotTheZone() throws {
        let signature = try zone.sign(address, signer: "test.")
        let reason = try #require(failure(verify([signature])))
        #expect(reason.text.contains("is not the zone"))
    }

    @Test func ownerOutsideTheSignersZone() throws {
        let outside = RRset(owner: "www.other.test.", type: .a, rrClass: .internet, ttl: 300, rdatas: address.rdatas)
        let signature = try zone.sign(outside)
        #expect(failure(verify([signature], rrset: outside))?.text.contains("not at or below") == true)
    }

    @Test func keyTagMismatch() throws {
        let signature = try zone.sign(address, keyTag: zone.keyTag &+ 1)
        #expect(failure(verify([signature]))?.code == .dnskeyMissing)
    }

    @Test func nonZoneKey() throws {
        let nonZone = try TestZone("example.test.", flags: 0)
        let signature = try nonZone.sign(address)
        #expect(failure(verify([signature], keys: nonZone.keySet))?.code == .noZoneKeyBitSet)
    }

    @Test func revokedKey() throws {
        let revoked = try TestZone("example.test.", flags: 257 | 0x0080)
        let signature = try revoked.sign(address)
        #expect(failure(verify([signature], keys: revoked.keySet))?.code == .noZoneKeyBitSet)
    }

    @Test func tamperedSignature() throws {
        var signature = try zone.sign(address)
        signature.signature[0] ^= 0xFF
        #expect(failure(verify([signature]))?.text.contains("does not verify") == true)
    }

    @Test func tamperedData() throws {
        let signature = try zone.sign(address)
        var changed = address
        changed.rdatas = [A(192, 0, 2, 2)]
        #expect(!verify([signature], rrset: changed).isVerified)
    }

    @Test func noSignatures() {
        #expect(failure(verify([]))?.code == .rrsigsMissing)
    }

    @Test func oneGoodSignatureAmongBadOnesIsEnough() throws {
        let bad = try zone.sign(address, keyTag: 1)
        let good = try zone.sign(address)
        #expect(verify([bad, good]).isVerified)
    }

    @Test func signaturePilesAreCut() throws {
        // Many RRSIGs naming colliding keys cost at most maxSignatureChecks verifications.
        var signatures: [RRSIG] = []
        for index in 0..<50 {
            var bad = try zone.sign(address)
            bad.signature[index % bad.signature.count] ^= 0x5A
            signatures.append(bad)
        }
        let reason = try #require(failure(verify(signatures + [try zone.sign(address)])))
        #expect(reason.text.contains("signature checks"))
    }

    // MARK: DS → DNSKEY

    func dnskeySet(_ zone: TestZone) throws -> SignedRRset {
        let set = RRset(owner: zone.name, type: .dnskey, rrClass: .internet, ttl: 3600, rdatas: [zone.dnskey])
        return SignedRRset(rrset: set, signatures: [try zone.sign(set)])
    }

    @Test func dsMatchAuthenticatesTheKeySet() throws {
        guard case .secure(let keys) = KeySetAuthenticator.authenticate(try dnskeySet(zone), ds: [try zone.ds()], now: TestZone.now)
        else {
            Issue.record("not secure")
            return
        }
        #expect(keys.secureEntryKeyTags == [zone.keyTag])
        #expect(keys.requiredAlgorithms == [13])
    }

    @Test func dsDigestMismatch() throws {
        var ds = try zone.ds()
        ds.digest[0] ^= 0x01
        guard case .bogus(let reason) = KeySetAuthenticator.authenticate(try dnskeySet(zone), ds: [ds], now: TestZone.now) else {
            Issue.record("not bogus")
            return
        }
        #expect(reason.code == .dnskeyMissing)
    }

    @Test func dsOfAnotherKey() throws {
        let other = try TestZone("example.test.")
        guard case .bogus = KeySetAuthenticator.authenticate(try dnskeySet(zone), ds: [try other.ds()], now: TestZone.now) else {
            Issue.record("not bogus")
            return
        }
    }

    @Test func unsupportedAlgorithmOnlyIsInsecure() throws {
        var ds = try zone.ds()
        ds.algorithm = DNSWire.DNSSECAlgorithm(253)
        guard case .insecure(let reason) = KeySetAuthenticator.authenticate(try dnskeySet(zone), ds: [ds], now: TestZone.now) else {
            Issue.record("not insecure")
            return
        }
        #expect(reason.code == .unsupportedDNSKEYAlgorithm)
    }

    @Test func unsupportedDigestTypeOnlyIsInsecure() throws {
        var ds = try zone.ds()
        ds.digestType = DigestType(200)
        guard case .insecure(let reason) = KeySetAuthenticator.authenticate(try dnskeySet(zone), ds: [ds], now: TestZone.now) else {
            Issue.record("not insecure")
            return
        }
        #expect(reason.code == .unsupportedDSDigestType)
    }

    @Test func mixedSupportedAndUnsupportedAlgorithms() throws {
        // The DS set names algorithm 13 (ours) and 253 (unknown): secure through 13, and data
        // signed with 13 plus an RRSIG of 253 is secure (253 cannot be required).
        var unknown = try zone.ds()
        unknown.algorithm = DNSWire.DNSSECAlgorithm(253)
        unknown.keyTag = 4242
        guard case .secure(let keys) = KeySetAuthenticator.authenticate(
            try dnskeySet(zone), ds: [unknown, try zone.ds()], now: TestZone.now)
        else {
            Issue.record("not secure")
            return
        }
        var alien = try zone.sign(address)
        alien.algorithm = DNSWire.DNSSECAlgorithm(253)
        alien.keyTag = 4242
        #expect(keys.verify(SignedRRset(rrset: address, signatures: [alien, try zone.sign(address)]), now: TestZone.now).isVerified)
    }

    @Test func noAlgorithmDowngrade() throws {
        // The DS set asks for 13 and 15: data signed only with 13 is bogus.
        let edwards = try TestZone("example.test.", algorithm: .ed25519)
        let both = ZoneKeySet(zone: zone.name, dnskeys: [zone.dnskey, edwards.dnskey])
        let onlyP256 = SignedRRset(rrset: address, signatures: [try zone.sign(address)])
        #expect(!RRsetVerifier.verify(onlyP256, with: both, now: TestZone.now, requiredAlgorithms: [13, 15]).isVerified)
        let bothSigned = SignedRRset(rrset: address, signatures: [try zone.sign(address), try edwards.sign(address)])
        #expect(RRsetVerifier.verify(bothSigned, with: both, now: TestZone.now, requiredAlgorithms: [13, 15]).isVerified)
        // Without requirements one is enough.
        #expect(RRsetVerifier.verify(onlyP256, with: both, now: TestZone.now).isVerified)
    }

    @Test func sha1DSIgnoredWhenSHA256Present() throws {
        // RFC 4509 §3: a SHA-1 DS that would match does not help when a SHA-256 DS is present.
        var wrong256 = try zone.ds(.sha256)
        wrong256.digest[0] ^= 1
        let usable = DSMatcher.usable([try zone.ds(.sha1), wrong256])
        #expect(usable.count == 1 && usable.first?.digestType == .sha256)
        guard case .bogus = KeySetAuthenticator.authenticate(try dnskeySet(zone), ds: [try zone.ds(.sha1), wrong256], now: TestZone.now)
        else {
            Issue.record("not bogus")
            return
        }
    }

    // MARK: Serial number arithmetic (RFC 1982, RFC 4034 §3.1.5)

    @Test func serialArithmeticAroundTheWrap() throws {
        #expect(SignatureTime.isBefore(0xFFFF_FFF0, 0x0000_0010))
        #expect(!SignatureTime.isBefore(0x0000_0010, 0xFFFF_FFF0))
        #expect(SignatureTime.isBefore(1, 2))
        #expect(!SignatureTime.isBefore(2, 2))
        #expect(!SignatureTime.isBefore(0, 0x8000_0000))  // exactly 2^31 apart: undefined, not before
        #expect(SignatureTime.secondsUntil(0x0000_0100, now: 0xFFFF_FF00) == 0x200)
        // A signature valid across 2106-02-07: inception before the wrap, expiration after.
        let signature = try zone.sign(address, inception: 0xFFFF_F000, expiration: 0x0000_2000)
        #expect(verify([signature], now: 0xFFFF_FFFF).isVerified)
        #expect(verify([signature], now: 0x0000_0005).isVerified)
        #expect(failure(verify([signature], now: 0x0000_3000))?.code == .signatureExpired)
        #expect(failure(verify([signature], now: 0xFFFF_E000))?.code == .signatureNotYetValid)
    }
}
