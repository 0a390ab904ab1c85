import DNSWire
import Foundation
import TestSupport
import Testing

@testable import Cryptography

@Suite("BIND key files")
struct BINDKeyFileTests {
    static let signable: [DNSSECAlgorithm] = [
        .rsaSHA256, .rsaSHA512, .ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519, .ed448,
    ]

    @Test("our .private file reads back as the same key", arguments: signable)
    func roundTrip(algorithm: DNSSECAlgorithm) throws {
        let key = try DNSSECPrivateKey.generate(algorithm, rsaModulusBits: 1024)
        let text = try BINDKeyFiles.privateKeyFile(key, created: 1_700_000_000)
        #expect(text.hasPrefix("Private-key-format: v1.3\nAlgorithm: \(algorithm.rawValue) (\(algorithm.mnemonic))\n"))
        #expect(text.contains("Created: 20231114221320\n"))
        let loaded = try BINDKeyFiles.readPrivateKeyFile(text)
        #expect(loaded.algorithm == algorithm)
        #expect(loaded.publicKeyField == key.publicKeyField)
        let data = Array("some RRset".utf8)
        #expect(key.publicKey.verify(signature: try loaded.sign(data), signedData: data))
    }

    @Test("timestamps are UTC YYYYMMDDHHmmSS")
    func timestamps() {
        #expect(BINDKeyFiles.timestamp(0) == "19700101000000")
        #expect(BINDKeyFiles.timestamp(951_782_400) == "20000229000000")
        #expect(BINDKeyFiles.timestamp(4_102_444_799) == "20991231235959")
        // Outside the 32-bit RRSIG range (DNSWire's DNSSECTime does the conversion for both).
        #expect(BINDKeyFiles.timestamp(-1) == "19691231235959")
        #expect(BINDKeyFiles.timestamp(-86_400 * 366) == "19681231000000")
        #expect(BINDKeyFiles.timestamp(4_294_967_296) == "21060207062816")
    }

    @Test("file names follow dnssec-keygen")
    func fileNames() {
        #expect(
            BINDKeyFiles.fileNameStem(zone: "Example.", algorithm: .ecdsaP256SHA256, keyTag: 581)
                == "Kexample.+013+00581")
        #expect(BINDKeyFiles.fileNameStem(zone: ".", algorithm: .rsaSHA256, keyTag: 20326) == "K.+008+20326")
    }

    /// BIND writes an ECDSA scalar as a minimal integer: one key in 256 has 31 octets for P-256
    /// (dnssec-keygen made one in a CI run). It is the same key as with its leading zero.
    @Test("an ECDSA scalar without its leading zero octets is the same key")
    func shortECDSAScalar() throws {
        var scalar = [UInt8](repeating: 0, count: 31)
        for index in scalar.indices { scalar[index] = UInt8.random(in: 1...255) }
        func file(_ bytes: [UInt8]) -> String {
            "Private-key-format: v1.3\nAlgorithm: 13 (ECDSAP256SHA256)\nPrivateKey: \(Data(bytes).base64EncodedString())\n"
        }
        let short = try BINDKeyFiles.readPrivateKeyFile(file(scalar))
        let padded = try BINDKeyFiles.readPrivateKeyFile(file([0] + scalar))
        #expect(short.publicKeyField == padded.publicKeyField)
        #expect(throws: CryptographyError.self) { try BINDKeyFiles.readPrivateKeyFile(file([1] + scalar + [1])) }
    }

    @Test("bad .private files are errors")
    func malformed() throws {
        let good = try BINDKeyFiles.privateKeyFile(try DNSSECPrivateKey.generate(.ed25519))
        let bad = [
            "",
            "Algorithm: 15 (ED25519)\nPrivateKey: AAAA\n",
            good.replacingOccurrences(of: "v1.3", with: "v2.0"),
            good.replacingOccurrences(of: "Algorithm: 15", with: "Algorithm: 5"),
            good.replacingOccurrences(of: "Algorithm: 15", with: "Algorithm: x"),
            "Private-key-format: v1.3\nAlgorithm: 15 (ED25519)\nPrivateKey: AAAA\n",
            "Private-key-format: v1.3\nAlgorithm: 13 (ECDSAP256SHA256)\nPrivateKey: !!!\n",
            "Private-key-format: v1.3\nAlgorithm: 13 (ECDSAP256SHA256)\nPrivateKey: "
                + Data(repeating: 0, count: 32).base64EncodedString() + "\n",  // zero scalar
            "Private-key-format: v1.3\nAlgorithm: 8 (RSASHA256)\nModulus: AQAB\n",
        ]
        for text in bad {
            #expect(throws: CryptographyError.self, "\(text)") { try BINDKeyFiles.readPrivateKeyFile(text) }
        }
        // RSA numbers that do not belong together are caught by the self-check. (OpenSSL
        // recovers from a wrong d or p on its own, so the modulus is the one to swap.)
        let rsa = try BINDKeyFiles.privateKeyFile(try DNSSECPrivateKey.generate(.rsaSHA256, rsaModulusBits: 1024))
        let other = try BINDKeyFiles.privateKeyFile(try DNSSECPrivateKey.generate(.rsaSHA256, rsaModulusBits: 1024))
        let otherModulus = other.split(separator: "\n").first { $0.hasPrefix("Modulus:") }
        let mixed = rsa.split(separator: "\n").map { $0.hasPrefix("Modulus:") ? otherModulus ?? $0 : $0 }
            .joined(separator: "\n")
        #expect(throws: CryptographyError.self) { try BINDKeyFiles.readPrivateKeyFile(mixed) }
    }

    static let keygenCases: [(DNSSECAlgorithm, [String])] = [
        (.rsaSHA256, ["-a", "RSASHA256", "-b", "1024"]),
        (.rsaSHA512, ["-a", "RSASHA512", "-b", "1024"]),
        (.ecdsaP256SHA256, ["-a", "ECDSAP256SHA256"]),
        (.ecdsaP384SHA384, ["-a", "ECDSAP384SHA384"]),
        (.ed25519, ["-a", "ED25519"]),
        (.ed448, ["-a", "ED448"]),
    ]

    @Test("keys from dnssec-keygen load, with the public key of their .key file", arguments: keygenCases)
    func readsDNSSECKeygen(algorithm: DNSSECAlgorithm, arguments: [String]) throws {
        let folder = try TemporaryDirectory(prefix: "crypto-bind")
        let result = try run(
            "dnssec-keygen", arguments + ["-K", folder.path, "example."], package: "bind9-utils"
        ).check("dnssec-keygen")
        let stem = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let key = try BINDKeyFiles.readPrivateKeyFile(
            try String(contentsOfFile: folder.file(stem + ".private"), encoding: .utf8))
        #expect(key.algorithm == algorithm)

        let record = try #require(
            try String(contentsOfFile: folder.file(stem + ".key"), encoding: .utf8)
                .split(separator: "\n").first { !$0.hasPrefix(";") })
        let fields = record.split(whereSeparator: \.isWhitespace)
        let rdata = try VectorSupport.dnskeyRDATA(presentation: fields[3...].joined(separator: " "))
        #expect(Array(rdata.dropFirst(4)) == key.publicKeyField)
        let tag = KeyTag.of(dnskeyRDATA: rdata)
        #expect(BINDKeyFiles.fileNameStem(zone: "example.", algorithm: algorithm, keyTag: tag) == stem)
    }

    @Test(
        "dnssec-signzone signs with our key files, and dnssec-verify accepts the zone",
        arguments: signable)
    func dnssecSignzoneUsesOurKeys(algorithm: DNSSECAlgorithm) throws {
        let folder = try TemporaryDirectory(prefix: "crypto-bind")
        let key = try DNSSECPrivateKey.generate(algorithm, rsaModulusBits: 1024)
        let flags: UInt16 = 257  // a KSK that signs everything (-z)
        let tag = KeyTag.of(dnskeyRDATA: BINDKeyFiles.dnskeyRDATA(flags: flags, key: key))
        let stem = BINDKeyFiles.fileNameStem(zone: "example.", algorithm: algorithm, keyTag: tag)
        let publicFile = BINDKeyFiles.publicKeyFile(zone: "example.", flags: flags, key: key)
        try folder.write(stem + ".key", publicFile)
        try folder.write(stem + ".private", try BINDKeyFiles.privateKeyFile(key, created: 1_700_000_000))
        let zone = """
            $TTL 300
            example. IN SOA ns.example. admin.example. 1 3600 600 86400 300
            example. IN NS ns.example.
            ns.example. IN A 192.0.2.1
            www.example. IN A 192.0.2.2

            """ + publicFile
        let zoneFile = try folder.write("example.zone", zone)
        let signed = folder.file("example.zone.signed")
        try run(
            "dnssec-signzone",
            [
                "-z", "-O", "full", "-d", folder.path, "-K", folder.path, "-o", "example.", "-f", signed, zoneFile,
                folder.file(stem),
            ],
            currentDirectory: folder.path,  // dnssec-signzone leaves a dsset- file there
            package: "bind9-utils"
        ).check("dnssec-signzone")
        let signedText = try String(contentsOfFile: signed, encoding: .utf8)
        #expect(signedText.contains(" \(tag) example."))
        try run("dnssec-verify", ["-z", "-o", "example.", signed], package: "bind9-utils").check("dnssec-verify")

        // BIND's own signature over www.example. A verifies with our public key: this checks
        // the DNSSEC wire form of the signature (r || s for ECDSA) from an independent signer.
        let rrsig = try #require(
            signedText.split(separator: "\n").first { $0.hasPrefix("www.example.") && $0.contains("RRSIG\tA ") })
        let fields = rrsig.split(whereSeparator: \.isWhitespace)  // owner ttl IN RRSIG A alg labels ...
        let signedData = try Self.signedDataForSingleA(
            rrsigFields: Array(fields[4...11].map(String.init)), owner: "www.example.", address: [192, 0, 2, 2])
        let signature = try VectorSupport.base64(fields[12...].joined())
        #expect(key.publicKey.verify(signature: signature, signedData: signedData))
        #expect(!key.publicKey.verify(signature: signature, signedData: VectorSupport.flippingBit(signedData, at: 30)))
    }

    /// RFC 4034 §3.1.8.1 signed data for an RRset of one A record, built by hand: RRSIG RDATA
    /// without the signature (fields from presentation form), then the record in canonical form.
    static func signedDataForSingleA(rrsigFields f: [String], owner: String, address: [UInt8]) throws -> [UInt8] {
        // f: type algorithm labels originalTTL expiration inception keyTag signer
        guard f.count == 8, f[0] == "A", let algorithm = UInt8(f[1]), let labels = UInt8(f[2]),
            let ttl = UInt32(f[3]), let tag = UInt16(f[6])
        else { throw VectorError("unexpected RRSIG fields \(f)") }
        func u16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }
        func u32(_ v: UInt32) -> [UInt8] {
            [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)]
        }
        var data = u16(1) + [algorithm, labels] + u32(ttl)
        data += u32(try time(f[4])) + u32(try time(f[5])) + u16(tag)
        data += VectorSupport.canonicalNameWire(f[7])
        data += VectorSupport.canonicalNameWire(owner) + u16(1) + u16(1) + u32(ttl) + u16(4) + address
        return data
    }

    /// RRSIG time YYYYMMDDHHmmSS (UTC) as seconds since 1970 (RFC 4034 §3.2).
    static func time(_ text: String) throws -> UInt32 {
        let digits = Array(text.utf8).map { Int($0) - 48 }
        guard digits.count == 14, digits.allSatisfy({ (0...9).contains($0) }) else {
            throw VectorError("bad time \(text)")
        }
        func number(_ range: Range<Int>) -> Int { digits[range].reduce(0) { $0 * 10 + $1 } }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let components = DateComponents(
            year: number(0..<4), month: number(4..<6), day: number(6..<8),
            hour: number(8..<10), minute: number(10..<12), second: number(12..<14))
        guard let date = calendar.date(from: components) else { throw VectorError("bad time \(text)") }
        return UInt32(date.timeIntervalSince1970)
    }
}
