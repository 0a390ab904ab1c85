import Foundation
import TestSupport
import Testing

@testable import DNSWire

/// Canonical name order (RFC 4034 §6.1), canonical RDATA (§6.2 with RFC 6840 §5.1) and
/// canonical RRset order (§6.3).
@Suite struct CanonicalFormTests {
    private struct OrderVector: Decodable {
        var names_in_canonical_order: [String]
        var names_wire_hex_absolute: [String]
    }

    /// The example of RFC 4034 §6.1, shuffled deterministically, sorts back into the RFC's order.
    @Test func canonicalNameOrderExample() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: vectorPath("rfc-derived/rfc4034-6.1-canonical-order.json")))
        let vector = try JSONDecoder().decode(OrderVector.self, from: data)
        let names = try vector.names_in_canonical_order.map { try Name(presentation: $0 + ".") }
        #expect(names.count == 9, "the nine names of RFC 4034 §6.1")
        #expect(names.map { ZoneTestHelpers.hex($0.wire) } == vector.names_wire_hex_absolute)
        var generator = ZoneTestRandom(seed: 61)
        for _ in 0..<20 {
            let shuffled = names.shuffled(using: &generator)
            #expect(shuffled.sorted().map(\.wire) == names.map(\.wire))
        }
        for (earlier, later) in zip(names, names.dropFirst()) {
            #expect(Name.canonicalCompare(earlier, later) < 0)
            #expect(Name.canonicalCompare(later, earlier) > 0)
        }
    }

    @Test func namesInRDATAAreLowercasedForTheListedTypes() {
        // MX 10 Mail.EXAMPLE.
        let mx: [UInt8] = [0, 10, 4] + Array("Mail".utf8) + [7] + Array("EXAMPLE".utf8) + [0]
        #expect(CanonicalRDATA.canonical(mx, type: .mx) == [0, 10, 4] + Array("mail".utf8) + [7] + Array("example".utf8) + [0])
        // SOA: both names, not the numbers (0x41 = "A" in a serial stays).
        let soa: [UInt8] = [1, 0x4E, 0] + [1, 0x4D, 0] + [UInt8](repeating: 0x41, count: 20)
        #expect(CanonicalRDATA.canonical(soa, type: .soa) == [1, 0x6E, 0] + [1, 0x6D, 0] + [UInt8](repeating: 0x41, count: 20))
        // NAPTR: character-strings keep their case, the replacement name is lower-cased.
        let naptr: [UInt8] = [0, 1, 0, 2, 1, 0x55, 2, 0x45, 0x32, 0, 1, 0x58, 0]
        #expect(CanonicalRDATA.canonical(naptr, type: .naptr) == [0, 1, 0, 2, 1, 0x55, 2, 0x45, 0x32, 0, 1, 0x78, 0])
        // RRSIG: the signer's name is lower-cased (RFC 6840 §5.1), the signature is not.
        let rrsig: [UInt8] = [UInt8](repeating: 0x41, count: 18) + [1, 0x45, 0] + [0x41, 0x42]
        #expect(CanonicalRDATA.canonical(rrsig, type: .rrsig) == [UInt8](repeating: 0x41, count: 18) + [1, 0x65, 0] + [0x41, 0x42])
        // SRV: the target.
        let srv: [UInt8] = [0, 1, 0, 2, 0, 3, 1, 0x54, 0]
        #expect(CanonicalRDATA.canonical(srv, type: .srv) == [0, 1, 0, 2, 0, 3, 1, 0x74, 0])
        // A6 with prefix length 64: 8 suffix octets, then the prefix name.
        let a6: [UInt8] = [64] + [UInt8](repeating: 0x41, count: 8) + [1, 0x50, 0]
        #expect(CanonicalRDATA.canonical(a6, type: .a6) == [64] + [UInt8](repeating: 0x41, count: 8) + [1, 0x70, 0])
        // Types in RFC 4034's list that this package keeps as unknown RDATA still lower-case.
        let rp: [UInt8] = [1, 0x41, 0, 1, 0x42, 0]
        #expect(CanonicalRDATA.canonical(rp, type: .rp) == [1, 0x61, 0, 1, 0x62, 0])
    }

    @Test func namesInOtherTypesKeepTheirCase() {
        // NSEC (RFC 6840 §5.1), HINFO (RFC 6840 §5.1), and any type not in the list.
        let nsec: [UInt8] = [1, 0x41, 0, 0, 1, 0x40]
        #expect(CanonicalRDATA.canonical(nsec, type: .nsec) == nsec)
        let hinfo: [UInt8] = [1, 0x41, 1, 0x42]
        #expect(CanonicalRDATA.canonical(hinfo, type: .hinfo) == hinfo)
        #expect(CanonicalRDATA.canonical([1, 0x41, 0], type: RRType(65280)) == [1, 0x41, 0])
        #expect(!CanonicalRDATA.lowercasesNames(of: .nsec))
        #expect(!CanonicalRDATA.lowercasesNames(of: .hinfo))
        #expect(CanonicalRDATA.lowercasesNames(of: .rrsig))
    }

    @Test func malformedRDATAIsReturnedWithoutCrashing() {
        for bytes: [UInt8] in [[], [5, 0x41], [0], [0, 10, 200, 0x41], [0xFF, 0xFF]] {
            for type in [RRType.mx, .soa, .naptr, .rrsig, .a6, .px, .srv] {
                #expect(CanonicalRDATA.canonical(bytes, type: type).count == bytes.count)
            }
        }
    }

    @Test func rrsetOrderSortsAndRemovesDuplicates() {
        let rdatas: [[UInt8]] = [[1, 2, 3], [1, 2], [0, 9], [1, 2, 3], [1, 2, 0]]
        #expect(CanonicalRRsetForm.orderedRDATA(rdatas, type: .a) == [[0, 9], [1, 2], [1, 2, 0], [1, 2, 3]])
        // Case differences in names that the type lower-cases make duplicates.
        let ns: [[UInt8]] = [[1, 0x41, 0], [1, 0x61, 0]]
        #expect(CanonicalRRsetForm.orderedRDATA(ns, type: .ns) == [[1, 0x61, 0]])
    }

    /// RRSIGs are grouped by the type they cover; other sets by owner (any case), type and class,
    /// with the lowest TTL and without duplicates (RFC 2181 §5, RFC 4034 §3).
    @Test func groupingIntoRRsets() throws {
        let records = try ZoneFileParser.parse(
            """
            a.example. 300 IN A 192.0.2.1
            A.EXAMPLE. 60 IN A 192.0.2.2
            a.example. 300 IN A 192.0.2.1
            a.example. 100 IN RRSIG A 8 2 300 20300101000000 20200101000000 1 example. AAAA
            a.example. 200 IN RRSIG TXT 8 2 300 20300101000000 20200101000000 1 example. AAAA
            a.example. 300 IN TXT x
            b.example. 300 IN A 192.0.2.1
            """)
        let sets = try RRset.group(records)
        #expect(sets.map { "\($0.owner) \($0.type) \($0.covered.map(\.mnemonic) ?? "-") \($0.ttl) \($0.rdatas.count)" } == [
            "a.example. A - 60 2", "a.example. RRSIG A 100 1", "a.example. RRSIG TXT 200 1", "a.example. TXT - 300 1",
            "b.example. A - 300 1",
        ])
        let ordered = try CanonicalZoneOrder.sorted(sets.reversed())
        #expect(ordered.map { "\($0.owner) \($0.type) \($0.covered.map(\.mnemonic) ?? "-")" } == [
            "a.example. A -", "a.example. TXT -", "a.example. RRSIG A", "a.example. RRSIG TXT", "b.example. A -",
        ])
    }

    @Test func signedOwnerOfWildcardExpansion() throws {
        let owner = try Name(presentation: "a.z.w.example.")
        #expect(try RRSIGSignedData.signedOwner(owner, labels: 2).presentation == "*.w.example.")
        #expect(try RRSIGSignedData.signedOwner(owner, labels: 4).presentation == "a.z.w.example.")
        #expect(try RRSIGSignedData.signedOwner(owner, labels: 0).presentation == "*.")
        let wildcard = try Name(presentation: "*.w.example.")
        #expect(try RRSIGSignedData.signedOwner(wildcard, labels: 2).presentation == "*.w.example.")
        #expect(throws: DNSWireError.self) { try RRSIGSignedData.signedOwner(owner, labels: 5) }
        #expect(throws: DNSWireError.self) { try RRSIGSignedData.signedOwner(wildcard, labels: 3) }
    }

    @Test func signedDataRejectsShortRRSIG() {
        #expect(throws: DNSWireError.self) {
            try RRSIGSignedData.bytes(rrsig: [UInt8](repeating: 0, count: 18), owner: .root, rrClass: .internet, rdatas: [])
        }
        #expect(throws: DNSWireError.self) {
            try RRSIGSignedData.bytes(rrsig: [UInt8](repeating: 0, count: 18) + [3, 0x41], owner: .root, rrClass: .internet, rdatas: [])
        }
    }
}

