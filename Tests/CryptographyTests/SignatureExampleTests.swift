import Cryptography
import DNSWire
import Testing

/// rfc-derived/signature-examples.json: RFC 5702, RFC 6605 and RFC 8080 examples with their
/// signed data. The RFC 8080 signatures "as printed" are known not to verify (erratum 4935);
/// the file marks them `verified: false`, and we must agree.
@Suite("RFC signature examples")
struct SignatureExampleTests {
    struct Example: Decodable, CustomTestStringConvertible {
        let name: String
        let dnskey: String
        let key_tag: Int
        let dnskey_rdata_b64: String
        let rrsig: String
        let signed_data_hex: String
        let verified: Bool

        var testDescription: String { name }
    }

    static let examples: [Example] =
        (try? VectorSupport.load([Example].self, "rfc-derived/signature-examples.json")) ?? []

    @Test("the vector file is there and complete")
    func fileLoads() {
        #expect(Self.examples.count == 12)
    }

    @Test("each example verifies exactly when the vector says so", arguments: examples)
    func verify(example: Example) throws {
        let rdata = try VectorSupport.base64(example.dnskey_rdata_b64)
        #expect(try VectorSupport.dnskeyRDATA(presentation: example.dnskey) == rdata)
        #expect(Int(KeyTag.of(dnskeyRDATA: rdata)) == example.key_tag)

        let key = try DNSSECPublicKey(dnskeyRDATA: rdata)
        let signature = try VectorSupport.rrsigSignature(example.rrsig)
        let signedData = try VectorSupport.hex(example.signed_data_hex)
        #expect(key.verify(signature: signature, signedData: signedData) == example.verified)

        if example.verified {
            // One changed bit anywhere breaks it: in the signature, at both ends of the data.
            for index in [0, signature.count / 2, signature.count - 1] {
                #expect(!key.verify(signature: VectorSupport.flippingBit(signature, at: index), signedData: signedData))
            }
            for index in [0, signedData.count - 1] {
                #expect(!key.verify(signature: signature, signedData: VectorSupport.flippingBit(signedData, at: index)))
            }
            #expect(!key.verify(signature: signature, signedData: signedData + [0]))
            #expect(!key.verify(signature: Array(signature.dropLast()), signedData: signedData))
        }
    }
}

/// rfc-derived/ds-examples.json: key tags and DS digests from RFC 4034, 4509, 6605, 8080.
@Suite("RFC DS examples")
struct DSExampleTests {
    struct Example: Decodable, CustomTestStringConvertible {
        let source: String
        let owner: String
        let ds: String
        let dnskey_rdata_b64: String
        let digest_input_hex: String
        let key_tag_computed: Int

        var testDescription: String { source + " " + ds }
    }

    static let examples: [Example] = (try? VectorSupport.load([Example].self, "rfc-derived/ds-examples.json")) ?? []

    @Test("the vector file is there")
    func fileLoads() {
        #expect(Self.examples.count == 8)
    }

    @Test("key tag and DS digest match", arguments: examples)
    func ds(example: Example) throws {
        let rdata = try VectorSupport.base64(example.dnskey_rdata_b64)
        let owner = VectorSupport.canonicalNameWire(example.owner)
        #expect(owner + rdata == (try VectorSupport.hex(example.digest_input_hex)))

        let fields = example.ds.split(separator: " ")
        let tag = try #require(UInt16(fields[0]))
        let algorithm = try #require(UInt8(fields[1]))
        let type = DigestType(rawValue: try #require(UInt8(fields[2])))
        let expected = try #require(Hex.decode(fields[3...].joined()))

        #expect(KeyTag.of(dnskeyRDATA: rdata) == tag)
        #expect(Int(tag) == example.key_tag_computed)
        #expect(rdata[3] == algorithm)
        #expect(type.isSupported)
        #expect(try DSDigest.compute(type: type, ownerName: owner, dnskeyRDATA: rdata) == expected)
        #expect(DSDigest.matches(expected, type: type, ownerName: owner, dnskeyRDATA: rdata))
        #expect(
            !DSDigest.matches(
                expected, type: type, ownerName: owner, dnskeyRDATA: VectorSupport.flippingBit(rdata, at: 10)))
    }

    @Test("unsupported digest types are an error and never match")
    func unsupportedDigestTypes() {
        for type in [DigestType.gostR341194, .unassigned(0), .unassigned(5), .unassigned(255)] {
            #expect(!type.isSupported)
            #expect(throws: CryptographyError.self) {
                try DSDigest.compute(type: type, ownerName: [0], dnskeyRDATA: [1, 0, 3, 8, 1])
            }
            #expect(!DSDigest.matches([], type: type, ownerName: [0], dnskeyRDATA: [1, 0, 3, 8, 1]))
        }
        for raw in UInt8.min...UInt8.max {
            #expect(DigestType(rawValue: raw).rawValue == raw)
        }
    }
}
