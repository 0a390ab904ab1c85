import Testing

@testable import DNSWire

/// The one DNSSEC algorithm type (DNSWire's, also used by Cryptography) and the one DS digest
/// type: total over every octet, and presentation by number or IANA mnemonic.
@Suite struct DNSSECAlgorithmTests {
    @Test func everyOctetRoundTrips() {
        for raw in UInt8.min...UInt8.max {
            #expect(DNSSECAlgorithm(raw).rawValue == raw)
            #expect(DigestType(raw).rawValue == raw)
        }
        #expect(DNSSECAlgorithm(13) == .ecdsaP256SHA256)
        #expect(DNSSECAlgorithm(99) == .unassigned(99))
        #expect(DigestType(2) == .sha256)
        #expect(DigestType(200) == .unassigned(200))
    }

    /// RFC 4034 App. A.1 and the IANA registry: each mnemonic reads as its number, in any case,
    /// and prints back the same.
    @Test(arguments: [
        ("RSAMD5", 1), ("DSA", 3), ("RSASHA1", 5), ("DSA-NSEC3-SHA1", 6), ("RSASHA1-NSEC3-SHA1", 7),
        ("RSASHA256", 8), ("RSASHA512", 10), ("ECC-GOST", 12), ("ECDSAP256SHA256", 13), ("ECDSAP384SHA384", 14),
        ("ED25519", 15), ("ED448", 16), ("INDIRECT", 252), ("PRIVATEDNS", 253), ("PRIVATEOID", 254),
    ])
    func mnemonic(_ text: String, _ number: Int) throws {
        let algorithm = try #require(DNSSECAlgorithm(text: Array(text.lowercased().utf8)))
        #expect(Int(algorithm.rawValue) == number)
        #expect(algorithm.mnemonic == text)
        #expect(DNSSECAlgorithm(text: Array(String(number).utf8)) == algorithm)
    }

    @Test func unknownTextIsRefused() {
        #expect(DNSSECAlgorithm(text: Array("256".utf8)) == nil)
        #expect(DNSSECAlgorithm(text: Array("RSASHA384".utf8)) == nil)
        #expect(DNSSECAlgorithm(text: []) == nil)
        #expect(DNSSECAlgorithm(200).mnemonic == "200")
    }
}
