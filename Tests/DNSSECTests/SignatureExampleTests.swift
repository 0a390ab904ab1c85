import DNSSEC
import DNSWire
import Testing

/// The signature examples of RFC 5702, 6605 and 8080 (erratum 4935 corrected) through the
/// whole RRSIG check of RFC 4035 §5.3.1 at each example's validation time: the printed RFC 8080
/// signatures must fail, the corrected ones pass.
@Suite struct SignatureExampleTests {
    struct Example: Decodable {
        var name: String
        var dnskey_owner: String
        var dnskey: String
        var key_tag: UInt16
        var rrset_owner: String
        var ttl: UInt32
        var rrset_type: String
        var rrset_rdata: String
        var rrsig: String
        var validation_time_unix: UInt64
        var verified: Bool
    }

    @Test func everyExampleGivesItsVerdict() throws {
        let examples = try VectorFiles.json([Example].self, "rfc-derived/signature-examples.json")
        #expect(examples.count == 12)
        for example in examples {
            let text = """
                \(example.dnskey_owner) 3600 IN DNSKEY \(example.dnskey)
                \(example.rrset_owner) \(example.ttl) IN \(example.rrset_type) \(example.rrset_rdata)
                \(example.rrset_owner) \(example.ttl) IN RRSIG \(example.rrsig)
                """
            let sets = try SignedRRset.group(VectorFiles.records(text))
            let dnskeys = try #require(sets.first { $0.type == .dnskey })
            let data = try #require(sets.first { $0.type.mnemonic == example.rrset_type })
            let keys = ZoneKeySet(rrset: dnskeys.rrset)
            #expect(keys.keys.first?.keyTag == example.key_tag, "\(example.name)")
            let result = RRsetVerifier.verify(data, with: keys, now: SignatureTime.serial(example.validation_time_unix))
            #expect(result.isVerified == example.verified, "\(example.name): \(result)")
        }
    }
}
