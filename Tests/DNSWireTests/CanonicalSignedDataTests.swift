import Foundation
import TestSupport
import Testing

@testable import DNSWire

/// The bytes each RRSIG signs (RFC 4034 §3.1.8.1), byte for byte against the RFC 4035 and
/// RFC 5155 Appendix A vectors, with the zones loaded by our own zone-file parser.
@Suite struct CanonicalSignedDataTests {
    struct SignatureVector: Decodable {
        var owner: String
        var type_covered: String
        var key_tag: Int
        var labels: Int
        var signed_data_hex: String
    }

    struct ResponseVector: Decodable {
        var file: String
        var sections: [String: [String]]
    }

    static func signatureVectors(_ folder: String) throws -> [SignatureVector] {
        let data = try Data(contentsOf: URL(fileURLWithPath: vectorPath("rfc-derived/\(folder)/appendixA-signatures.json")))
        return try JSONDecoder().decode([SignatureVector].self, from: data)
    }

    /// Type Covered and Key Tag read from RRSIG RDATA (RFC 4034 §3.1).
    static func rrsigFields(_ rdata: any RDATA) throws -> (typeCovered: RRType, keyTag: Int) {
        let wire = try rdata.wireRDATA()
        return (RRType(UInt16(wire[0]) << 8 | UInt16(wire[1])), Int(wire[16]) << 8 | Int(wire[17]))
    }

    /// For every RRSIG of the vector file: find it and the RRset it covers in the zone our parser
    /// loaded, and compare the signed data.
    func checkAppendixA(_ folder: String) throws {
        let records = try ZoneFileParser.load(path: vectorPath("rfc-derived/\(folder)/appendixA.zone"))
        let rrsets = try RRset.group(records)
        let vectors = try Self.signatureVectors(folder)
        #expect(vectors.count == (folder == "rfc4035" ? 27 : 30))
        var checked = 0
        for vector in vectors {
            let owner = try Name(presentation: vector.owner)
            let covered = try #require(RRType(mnemonic: vector.type_covered))
            let rrsigs = records.filter { record in
                guard record.type == .rrsig, record.owner == owner,
                    let fields = try? Self.rrsigFields(record.rdata)
                else { return false }
                return fields.typeCovered == covered && fields.keyTag == vector.key_tag
            }
            try #require(rrsigs.count == 1, "RRSIG \(vector.owner) \(vector.type_covered) \(vector.key_tag)")
            let rrset = try #require(rrsets.first { $0.owner == owner && $0.type == covered })
            let signed = try RRSIGSignedData.bytes(rrsig: rrsigs[0].rdata, rrset: rrset)
            #expect(
                ZoneTestHelpers.hex(signed) == vector.signed_data_hex,
                "signed data of \(vector.owner) \(vector.type_covered) key \(vector.key_tag)")
            checked += 1
        }
        #expect(checked == vectors.count)
    }

    @Test func rfc4035AppendixASignedData() throws {
        try checkAppendixA("rfc4035")
    }

    @Test func rfc5155AppendixASignedData() throws {
        try checkAppendixA("rfc5155")
    }

    /// RFC 4035 §5.3.2: an answer synthesised from `*.w.example` (B.6 of RFC 4035, B.4 of
    /// RFC 5155) carries the wildcard's signature, so its signed data, rebuilt with the owner
    /// rewritten to `*.w.example`, is the signed data of the wildcard RRset in Appendix A.
    @Test(arguments: [("rfc4035", "B.6"), ("rfc5155", "B.4")])
    func wildcardExpandedSignedData(folder: String, response: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: vectorPath("rfc-derived/\(folder)/appendixB-responses.json")))
        let responses = try JSONDecoder().decode([ResponseVector].self, from: data)
        let vector = try #require(responses.first { $0.file.hasSuffix("/\(response).txt") })
        let answer = try #require(vector.sections["answer"]).joined(separator: "\n")
        let records = try ZoneFileParser.parse(answer, fileName: response)
        let rrsig = try #require(records.first { $0.type == .rrsig })
        let rrset = try #require(try RRset.group(records).first { $0.type == .mx })
        #expect(rrset.owner == (try Name(presentation: "a.z.w.example.")))

        let expected = try #require(
            try Self.signatureVectors(folder).first { $0.owner == "*.w.example." && $0.type_covered == "MX" })
        let signed = try RRSIGSignedData.bytes(rrsig: rrsig.rdata, rrset: rrset)
        #expect(ZoneTestHelpers.hex(signed) == expected.signed_data_hex)
    }

    /// The RRSIG must cover the RRset's type.
    @Test func rrsigOfAnotherTypeIsRefused() throws {
        let records = try ZoneFileParser.load(path: vectorPath("rfc-derived/rfc4035/appendixA.zone"))
        let rrsets = try RRset.group(records)
        let soaSignature = try #require(records.first { $0.type == .rrsig && (try? Self.rrsigFields($0.rdata).typeCovered) == .soa })
        let ns = try #require(rrsets.first { $0.type == .ns })
        #expect(throws: DNSWireError.self) { try RRSIGSignedData.bytes(rrsig: soaSignature.rdata, rrset: ns) }
        #expect(throws: DNSWireError.self) { try RRSIGSignedData.bytes(rrsig: ns.rdatas[0], rrset: ns) }
    }

    /// Owner case, RDATA name case (for the types that lower-case), record order and duplicates
    /// do not change the signed data.
    @Test func signedDataIsCanonical() throws {
        let plain = """
            example. 3600 IN NS ns1.example.
            example. 3600 IN NS ns2.example.
            example. 3600 IN RRSIG NS 5 1 3600 20040509183619 20040409183619 38519 example. AAAA
            """
        let mangled = """
            EXAMPLE. 60 IN NS NS2.Example.
            Example. 7200 IN NS ns1.EXAMPLE.
            example. 60 IN NS ns2.example.
            example. 3600 IN RRSIG NS 5 1 3600 20040509183619 20040409183619 38519 EXAMPLE. AAAA
            """
        func signed(_ text: String) throws -> [UInt8] {
            let records = try ZoneFileParser.parse(text)
            let rrset = try #require(try RRset.group(records).first { $0.type == .ns })
            let rrsig = try #require(records.first { $0.type == .rrsig })
            return try RRSIGSignedData.bytes(rrsig: rrsig.rdata, rrset: rrset)
        }
        let expected = try #require(try Self.signatureVectors("rfc4035").first { $0.owner == "example." && $0.type_covered == "NS" })
        #expect(ZoneTestHelpers.hex(try signed(plain)) == expected.signed_data_hex)
        #expect(ZoneTestHelpers.hex(try signed(mangled)) == expected.signed_data_hex)
    }
}
