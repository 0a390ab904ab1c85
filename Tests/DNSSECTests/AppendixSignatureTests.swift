import DNSSEC
import DNSWire
import Testing

/// RFC 4035 and RFC 5155 Appendix A: every RRSIG of the example zones passes every check of
/// RFC 4035 §5.3.1 (not only the signature) with the zone's DNSKEY set, at a time inside the
/// validity windows.
@Suite struct AppendixSignatureTests {
    struct Vector: Decodable {
        var owner: String
        var type_covered: String
        var key_tag: Int
        var rrset_text: String
        var rrsig_text: String
    }

    static let appendices = ["rfc4035", "rfc5155"]
    /// The RRSIGs of each Appendix A zone (RFC 4035: 27, RFC 5155: 30).
    static let signatureCount = ["rfc4035": 27, "rfc5155": 30]

    @Test(arguments: appendices)
    func everyAppendixASignatureVerifies(appendix: String) throws {
        let zone = try VectorFiles.records(VectorFiles.text("rfc-derived/\(appendix)/appendixA.zone"))
        let dnskeys = zone.compactMap { $0.rdata as? DNSKEY }
        #expect(!dnskeys.isEmpty)
        let keys = ZoneKeySet(zone: "example.", dnskeys: dnskeys)
        let vectors = try VectorFiles.json([Vector].self, "rfc-derived/\(appendix)/appendixA-signatures.json")
        #expect(vectors.count == Self.signatureCount[appendix])
        let sets = try vectors.map { vector in
            let grouped = try SignedRRset.group(VectorFiles.records(vector.rrset_text + "\n" + vector.rrsig_text))
            guard let set = grouped.first else { throw TestFailure("no RRset in \(vector.rrset_text)") }
            return set
        }
        // A time inside every validity window: one second after the latest inception.
        let inceptions = sets.flatMap(\.signatures).map(\.inception)
        let expirations = sets.flatMap(\.signatures).map(\.expiration)
        let now = try #require(inceptions.max()) &+ 1
        #expect(now < (expirations.min() ?? 0))
        for (vector, set) in zip(vectors, sets) {
            #expect(set.signatures.count == 1, "\(vector.owner) \(vector.type_covered)")
            switch RRsetVerifier.verify(set, with: keys, now: now) {
            case .verified(let ttl, let signature, let keyTag):
                #expect(Int(keyTag) == vector.key_tag)
                #expect(ttl == min(set.rrset.ttl, signature.originalTTL, signature.expiration &- now))
            case .failed(let reason):
                Issue.record("\(vector.owner) \(vector.type_covered): \(reason)")
            }
        }
    }

    @Test(arguments: appendices)
    func appendixASignaturesFailOutsideTheirWindow(appendix: String) throws {
        let zone = try VectorFiles.records(VectorFiles.text("rfc-derived/\(appendix)/appendixA.zone"))
        let keys = ZoneKeySet(zone: "example.", dnskeys: zone.compactMap { $0.rdata as? DNSKEY })
        let vectors = try VectorFiles.json([Vector].self, "rfc-derived/\(appendix)/appendixA-signatures.json")
        let vector = try #require(vectors.first)
        let set = try #require(try SignedRRset.group(VectorFiles.records(vector.rrset_text + "\n" + vector.rrsig_text)).first)
        let signature = try #require(set.signatures.first)
        guard case .failed(let late) = RRsetVerifier.verify(set, with: keys, now: signature.expiration &+ 1) else {
            Issue.record("verified after expiration")
            return
        }
        #expect(late.code == .signatureExpired)
        guard case .failed(let early) = RRsetVerifier.verify(set, with: keys, now: signature.inception &- 1) else {
            Issue.record("verified before inception")
            return
        }
        #expect(early.code == .signatureNotYetValid)
    }
}
