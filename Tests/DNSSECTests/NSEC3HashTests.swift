import DNSSEC
import DNSWire
import Testing

/// NSEC3 owner hashes (RFC 5155 §5) against RFC 5155 Appendix A and Unbound's test_nsec3_hash.1.
@Suite struct NSEC3HashTests {
    struct Vector: Decodable {
        var name: String
        var iterations: UInt16
        var salt_hex: String
        var hash_base32hex: String
    }

    @Test func rfc5155AppendixHashes() throws {
        let vectors = try VectorFiles.json([Vector].self, "rfc-derived/rfc5155/nsec3-hashes.json")
        #expect(vectors.count == 16)
        for vector in vectors {
            let salt = try #require(BinaryText.decodeHex(vector.salt_hex))
            let name = try Name(presentation: vector.name, origin: .root)
            #expect(NSEC3Hash.label(name, salt: salt, iterations: vector.iterations) == vector.hash_base32hex, "\(vector.name)")
        }
    }

    /// Each entry: the query name hashes, with the NSEC3 parameters of the authority record, to
    /// the first label of the answer's AAAA owner.
    @Test func unboundHashFile() throws {
        let entries = try LDNSEntry.entries(in: VectorFiles.text("unbound/testdata/test_nsec3_hash.1"))
        #expect(entries.count == 16)
        for entry in entries {
            let question = try #require(entry.question)
            let expected = try #require(entry.answer.first?.owner.labels.first)
            let nsec3 = try #require(entry.authority.compactMap { $0.rdata as? NSEC3 }.first)
            let hash = NSEC3Hash.hash(
                question.name, algorithm: nsec3.hashAlgorithm, salt: nsec3.salt, iterations: nsec3.iterations)
            if nsec3.hashAlgorithm != 1 {
                #expect(hash == nil)
                continue
            }
            #expect(hash.map { BinaryText.base32Hex($0).lowercased() } == String(decoding: expected, as: UTF8.self).lowercased(),
                    "\(question.name.presentation)")
        }
    }
}
