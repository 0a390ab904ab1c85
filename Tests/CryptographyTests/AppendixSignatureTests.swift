import Cryptography
import DNSWire
import Testing

/// Every RRSIG of the signed example zones in RFC 4035 Appendix A (RSASHA1, algorithm 5) and
/// RFC 5155 Appendix A (RSASHA1-NSEC3-SHA1, algorithm 7), over the exact signed-data bytes in
/// the vectors. Only the signature math is checked here; the 2004/2005 validity windows are
/// the DNSSEC layer's business.
@Suite("RFC 4035 / RFC 5155 appendix A signatures")
struct AppendixSignatureTests {
    struct Signature: Decodable {
        let owner: String
        let type_covered: String
        let key_tag: Int
        let algorithm: Int
        let verified: Bool
        let rrset_text: String
        let rrsig_text: String
        let signed_data_hex: String
    }

    static let zones: [(file: String, algorithm: DNSSECAlgorithm, tags: Set<UInt16>, count: Int)] = [
        ("rfc-derived/rfc4035/appendixA-signatures.json", .rsaSHA1, [9465, 38519], 27),
        ("rfc-derived/rfc5155/appendixA-signatures.json", .rsaSHA1NSEC3SHA1, [12708, 40430], 30),
    ]

    @Test("every RRSIG verifies with the zone's DNSKEY of its key tag", arguments: zones)
    func verifyZone(file: String, algorithm: DNSSECAlgorithm, tags: Set<UInt16>, count: Int) throws {
        let signatures = try VectorSupport.load([Signature].self, file)
        #expect(signatures.count == count)

        // The zone's keys come from its DNSKEY RRset; parse each once, index by key tag.
        var keys: [UInt16: DNSSECPublicKey] = [:]
        for entry in signatures where entry.type_covered == "DNSKEY" {
            for rdata in try VectorSupport.dnskeys(inRRsetText: entry.rrset_text) {
                keys[KeyTag.of(dnskeyRDATA: rdata)] = try DNSSECPublicKey(dnskeyRDATA: rdata)
            }
        }
        #expect(Set(keys.keys) == tags)
        #expect(keys.values.allSatisfy { $0.algorithm == algorithm })

        var verified = 0
        for entry in signatures {
            let rrsigFields = entry.rrsig_text.split(whereSeparator: \.isWhitespace).dropFirst(4).joined(separator: " ")
            let signature = try VectorSupport.rrsigSignature(rrsigFields)
            let signedData = try VectorSupport.hex(entry.signed_data_hex)
            #expect(entry.algorithm == Int(algorithm.rawValue))
            let key = try #require(keys[UInt16(entry.key_tag)], "no DNSKEY with tag \(entry.key_tag)")
            let ok = key.verify(signature: signature, signedData: signedData)
            #expect(ok == entry.verified, "\(entry.owner) \(entry.type_covered)")
            #expect(
                !key.verify(
                    signature: VectorSupport.flippingBit(signature, at: signature.count - 1), signedData: signedData))
            #expect(
                !key.verify(
                    signature: signature,
                    signedData: VectorSupport.flippingBit(signedData, at: signedData.count - 1, bit: 7)))
            // The zone's other key must not verify it either.
            for (tag, other) in keys where tag != UInt16(entry.key_tag) {
                #expect(!other.verify(signature: signature, signedData: signedData))
            }
            if ok { verified += 1 }
        }
        #expect(verified == count)
    }

    @Test("the zones' DNSKEY key sizes are what the RFCs print")
    func keySizes() throws {
        let rfc4035 = try VectorSupport.load([Signature].self, Self.zones[0].file)
        let rfc5155 = try VectorSupport.load([Signature].self, Self.zones[1].file)
        for entry in (rfc4035 + rfc5155) where entry.type_covered == "DNSKEY" {
            for rdata in try VectorSupport.dnskeys(inRRsetText: entry.rrset_text) {
                let key = try DNSSECPublicKey(dnskeyRDATA: rdata)
                #expect([512, 1024].contains(key.keySize))
            }
        }
    }
}
