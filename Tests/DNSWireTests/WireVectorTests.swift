import Testing
@testable import DNSWire

/// The RFC-derived vectors in Tests/Vectors/rfc-derived.
@Suite struct WireVectorTests {
    /// RFC 4034 §2.3, §3.3, §4.3, §5.4: presentation → RDATA and RR wire forms.
    @Test func rfc4034WireForms() throws {
        let entries = try #require(try WireTestSupport.loadJSON("rfc-derived/rfc4034-rr-wire-forms.json") as? [[String: Any]])
        #expect(entries.count == 4)
        for entry in entries {
            let source = entry["source"] as? String ?? "?"
            let typeText = try #require(entry["type"] as? String)
            let type = try #require(RRType(mnemonic: typeText))
            let text = try #require(entry["rdata_text"] as? String)
            let rdata = try WireTestSupport.parse(type, text)
            #expect(BinaryText.hex(try rdata.wireRDATA()) == (entry["rdata_wire_hex"] as? String), "\(source)")
            let ownerText = try #require(entry["owner"] as? String)
            let owner = try Name(presentation: ownerText)
            let ttlValue = try #require(entry["ttl"] as? Int)
            let ttl = UInt32(ttlValue)
            let record = Record(owner: owner, ttl: ttl, rdata: rdata)
            #expect(BinaryText.hex(try record.wire()) == (entry["rr_wire_hex_uncompressed"] as? String), "\(source)")
            if let tag = entry["key_tag_computed"] as? Int, let key = rdata as? DNSKEY {
                #expect(Int(key.keyTag) == tag, "\(source)")
            }
            // And back: wire → value → the same presentation value.
            var reader = DNSReader(try record.wire())
            let decoded = try Record(from: &reader)
            #expect(decoded == record, "\(source)")
        }
    }

    /// RFC 6698 §2.3 examples (the third is truncated in the RFC and skipped).
    @Test func rfc6698TLSAExamples() throws {
        let entries = try #require(try WireTestSupport.loadJSON("rfc-derived/rfc6698-tlsa-examples.json") as? [[String: Any]])
        var checked = 0
        for entry in entries {
            guard let text = entry["rdata_text"] as? String else { continue }
            let rdata = try #require(try WireTestSupport.parse(.tlsa, text) as? TLSA)
            #expect(BinaryText.hex(try rdata.wireRDATA()) == (entry["rdata_wire_hex"] as? String))
            let ownerText = try #require(entry["owner"] as? String)
            let owner = try Name(presentation: ownerText)
            let record = Record(owner: owner, ttl: 3600, rdata: rdata)
            #expect(BinaryText.hex(try record.wire()) == (entry["rr_wire_hex_ttl3600"] as? String))
            #expect(rdata.presentation == text)
            checked += 1
        }
        #expect(checked == 2)
        let first = try #require(try WireTestSupport.parse(.tlsa, "0 0 1 d2abde240d7cd3ee6b4b28c54df034b97983a1d16e8a410e4561cb106618e971") as? TLSA)
        #expect(first.usage == .pkixTA)
        #expect(first.selector == .fullCertificate)
        #expect(first.matchingType == .sha256)
    }

    /// Key tags of ds-examples.json (RFC 4034, 4509, 6605, 8080), and the DS digest input.
    @Test func keyTagsOfDSExamples() throws {
        let entries = try #require(try WireTestSupport.loadJSON("rfc-derived/ds-examples.json") as? [[String: Any]])
        #expect(entries.count == 8)
        for entry in entries {
            let keyText = try #require(entry["dnskey"] as? String)
            let tag = try #require(entry["key_tag_computed"] as? Int)
            let key = try #require(try WireTestSupport.parse(.dnskey, keyText) as? DNSKEY)
            #expect(Int(key.keyTag) == tag, "\(entry["source"] ?? "")")
            if let dsText = entry["ds"] as? String {
                let ds = try #require(try WireTestSupport.parse(.ds, dsText) as? DS)
                #expect(Int(ds.keyTag) == tag)
                #expect(ds.algorithm == key.algorithm)
            }
            if let input = entry["digest_input_hex"] as? String, let ownerText = entry["owner"] as? String {
                let owner = try Name(presentation: ownerText)
                #expect(BinaryText.hex(owner.lowercased().wire + (try key.canonicalRDATA())) == input)
            }
        }
    }
}
