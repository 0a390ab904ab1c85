import Cryptography
import DNSWire
import Testing

@Suite("Signing")
struct SigningTests {
    static let signable: [DNSSECAlgorithm] = [
        .rsaSHA256, .rsaSHA512, .ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519, .ed448,
    ]

    /// Wire signature sizes: RSA is the modulus size, ECDSA 2 x 32 / 2 x 48 (RFC 6605 §4),
    /// EdDSA 64 / 114 (RFC 8080 §4).
    static func signatureSize(_ algorithm: DNSSECAlgorithm, rsaBits: Int) -> Int {
        switch algorithm {
        case .ecdsaP256SHA256: 64
        case .ecdsaP384SHA384: 96
        case .ed25519: 64
        case .ed448: 114
        default: rsaBits / 8
        }
    }

    /// DNSKEY public-key field sizes (RFC 3110 with e = 65537: 1 + 3 + modulus).
    static func publicKeyFieldSize(_ algorithm: DNSSECAlgorithm, rsaBits: Int) -> Int {
        switch algorithm {
        case .ecdsaP256SHA256: 64
        case .ecdsaP384SHA384: 96
        case .ed25519: 32
        case .ed448: 57
        default: 1 + 3 + rsaBits / 8
        }
    }

    @Test("generate, sign, verify; the DNSKEY form parses back to a key that verifies", arguments: signable)
    func roundTrip(algorithm: DNSSECAlgorithm) throws {
        // 1024-bit RSA keeps the debug test fast; the default (2048) is checked separately.
        let key = try DNSSECPrivateKey.generate(algorithm, rsaModulusBits: 1024)
        #expect(key.algorithm == algorithm)
        #expect(key.publicKeyField.count == Self.publicKeyFieldSize(algorithm, rsaBits: 1024))

        let data = Array("RRSIG RDATA || canonical RRset".utf8) + SecureRandom.bytes(200)
        let signature = try key.sign(data)
        #expect(signature.count == Self.signatureSize(algorithm, rsaBits: 1024))
        #expect(key.publicKey.verify(signature: signature, signedData: data))

        let rdata: [UInt8] = [0x01, 0x01, 3, algorithm.rawValue] + key.publicKeyField
        let parsed = try DNSSECPublicKey(dnskeyRDATA: rdata)
        #expect(parsed.publicKeyField == key.publicKeyField)
        #expect(parsed.verify(signature: signature, signedData: data))
        #expect(!parsed.verify(signature: signature, signedData: data + [1]))
        #expect(!parsed.verify(signature: VectorSupport.flippingBit(signature, at: 5), signedData: data))

        // Many signatures: ECDSA r or s with a leading zero octet shows up within a few hundred.
        if case .ecdsaP256SHA256 = algorithm {
            for index in 0..<300 {
                let message = data + [UInt8(truncatingIfNeeded: index)]
                let sig = try key.sign(message)
                #expect(sig.count == 64)
                #expect(parsed.verify(signature: sig, signedData: message))
            }
        }
        // An empty message signs and verifies too.
        #expect(parsed.verify(signature: try key.sign([]), signedData: []))
    }

    @Test("RSA keys are 2048 bits by default")
    func defaultRSASize() throws {
        let key = try DNSSECPrivateKey.generate(.rsaSHA256)
        #expect(key.publicKey.keySize == 2048)
        #expect(key.publicKeyField.count == 1 + 3 + 256)
        #expect(key.publicKeyField.prefix(4) == [3, 0x01, 0x00, 0x01])
    }

    @Test("PEM PKCS#8 round trip keeps the key", arguments: signable)
    func pemRoundTrip(algorithm: DNSSECAlgorithm) throws {
        let key = try DNSSECPrivateKey.generate(algorithm, rsaModulusBits: 1024)
        let pem = try key.pemPrivateKey()
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let loaded = try DNSSECPrivateKey(pemPrivateKey: pem, algorithm: algorithm)
        #expect(loaded.publicKeyField == key.publicKeyField)
        let data = Array("zone data".utf8)
        #expect(key.publicKey.verify(signature: try loaded.sign(data), signedData: data))

        let publicPEM = try key.publicKey.pemPublicKey()
        #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        let publicLoaded = try DNSSECPublicKey(pemPublicKey: publicPEM, algorithm: algorithm)
        #expect(publicLoaded.publicKeyField == key.publicKeyField)
    }

    @Test("a PEM key of another type or curve is refused for the algorithm")
    func pemWrongType() throws {
        let p256 = try DNSSECPrivateKey.generate(.ecdsaP256SHA256).pemPrivateKey()
        let ed25519 = try DNSSECPrivateKey.generate(.ed25519).pemPrivateKey()
        for (pem, algorithm) in [(p256, DNSSECAlgorithm.ecdsaP384SHA384), (p256, .rsaSHA256), (ed25519, .ed448)] {
            #expect(throws: CryptographyError.self) {
                try DNSSECPrivateKey(pemPrivateKey: pem, algorithm: algorithm)
            }
        }
        #expect(throws: CryptographyError.self) { try DNSSECPrivateKey(pemPrivateKey: "", algorithm: .ed25519) }
        #expect(throws: CryptographyError.self) {
            try DNSSECPrivateKey(
                pemPrivateKey: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", algorithm: .ed25519)
        }
    }

    @Test("algorithms we must not or cannot sign with are refused")
    func unsignable() {
        for algorithm in [DNSSECAlgorithm.rsaSHA1, .rsaSHA1NSEC3SHA1, .rsaMD5, .dsa, .eccGOST, .unassigned(200)] {
            #expect(!algorithm.isSupportedForSigning)
            #expect(throws: CryptographyError.self) { try DNSSECPrivateKey.generate(algorithm) }
        }
        #expect(throws: CryptographyError.self) { try DNSSECPrivateKey.generate(.rsaSHA256, rsaModulusBits: 256) }
    }

    @Test("algorithm numbers are total and keep unknown values")
    func algorithmNumbers() {
        for raw in UInt8.min...UInt8.max {
            #expect(DNSSECAlgorithm(rawValue: raw).rawValue == raw)
        }
        let supported = (UInt8.min...UInt8.max).filter { DNSSECAlgorithm(rawValue: $0).isSupportedForValidation }
        #expect(supported == [5, 7, 8, 10, 13, 14, 15, 16])
        #expect(DNSSECAlgorithm(rawValue: 13).mnemonic == "ECDSAP256SHA256")
        #expect(DNSSECAlgorithm(rawValue: 99) == .unassigned(99))
    }
}
