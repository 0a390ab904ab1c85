import Cryptography
import DNSWire
import Testing

/// Bad key and signature bytes give an error value or `false`, never a crash.
@Suite("Malformed keys and signatures")
struct MalformedKeyTests {
    static let allSupported: [DNSSECAlgorithm] = [
        .rsaSHA1, .rsaSHA1NSEC3SHA1, .rsaSHA256, .rsaSHA512, .ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519, .ed448,
    ]

    func code(_ algorithm: DNSSECAlgorithm, _ field: [UInt8]) -> CryptographyError.Code? {
        do {
            _ = try DNSSECPublicKey(algorithm: algorithm, publicKeyField: field)
            return nil
        } catch {
            return error.code
        }
    }

    /// A valid 1024-bit modulus with the exponent 65537, RFC 3110 form.
    static func rsaField(exponent: [UInt8] = [1, 0, 1], modulusBytes: Int = 128) -> [UInt8] {
        var modulus = [UInt8](repeating: 0xc5, count: modulusBytes)
        modulus[modulusBytes - 1] = 0x0b  // odd
        return [UInt8(exponent.count)] + exponent + modulus
    }

    @Test("an empty key is refused for every algorithm", arguments: allSupported)
    func emptyKey(algorithm: DNSSECAlgorithm) {
        #expect(code(algorithm, []) == .malformedPublicKey)
    }

    @Test("RSA: exponent length past the end, in both length forms")
    func rsaExponentPastEnd() {
        #expect(code(.rsaSHA256, [5, 1, 0, 1]) == .malformedPublicKey)
        #expect(code(.rsaSHA256, [0, 0x01, 0x00] + [UInt8](repeating: 1, count: 200)) == .malformedPublicKey)
        #expect(code(.rsaSHA256, [0, 0x01]) == .malformedPublicKey)
        #expect(code(.rsaSHA256, [0]) == .malformedPublicKey)
        #expect(code(.rsaSHA256, [0, 0, 0] + Self.rsaField().dropFirst()) == .malformedPublicKey)  // zero length
    }

    @Test("RSA: no modulus, a modulus too small or too large, a silly exponent")
    func rsaSizes() {
        #expect(code(.rsaSHA256, [3, 1, 0, 1]) == .malformedPublicKey)
        #expect(code(.rsaSHA256, Self.rsaField(modulusBytes: 32)) == .unsupportedKeySize)  // 256 bits
        #expect(code(.rsaSHA256, Self.rsaField(modulusBytes: 513)) == .unsupportedKeySize)  // 4104 bits
        #expect(code(.rsaSHA256, Self.rsaField(modulusBytes: 512)) == nil)  // 4096 bits is fine
        #expect(code(.rsaSHA256, Self.rsaField(exponent: [0])) == .malformedPublicKey)
        #expect(code(.rsaSHA256, Self.rsaField(exponent: [1])) == .malformedPublicKey)
        #expect(code(.rsaSHA256, Self.rsaField(exponent: [1, 0, 0])) == .malformedPublicKey)  // even
        #expect(code(.rsaSHA256, Self.rsaField(exponent: [UInt8](repeating: 0xff, count: 9))) == .unsupportedKeySize)
        #expect(code(.rsaSHA256, Self.rsaField()) == nil)
        // Leading zero octets (forbidden by RFC 3110 but harmless) are tolerated, the size is
        // counted on the value: 64 zero octets + 512 bits is still a 512-bit key.
        let padded: [UInt8] = [3, 0, 1, 1] + [UInt8](repeating: 0, count: 64) + [UInt8](repeating: 0xc5, count: 64)
        #expect(code(.rsaSHA256, padded) == nil)
        let tooSmallPadded: [UInt8] =
            [3, 1, 0, 1] + [UInt8](repeating: 0, count: 100) + [UInt8](repeating: 0xc5, count: 20)
        #expect(code(.rsaSHA256, tooSmallPadded) == .unsupportedKeySize)
    }

    @Test("RSA: every prefix of a valid key fails cleanly")
    func rsaPrefixes() {
        let field = Self.rsaField()
        for length in 0..<(4 + 64) {
            #expect(code(.rsaSHA256, Array(field.prefix(length))) != nil, "prefix \(length)")
        }
    }

    @Test("ECDSA: wrong lengths and points off the curve")
    func ecdsaKeys() throws {
        let good = try DNSSECPrivateKey.generate(.ecdsaP256SHA256).publicKeyField
        #expect(code(.ecdsaP256SHA256, good) == nil)
        #expect(code(.ecdsaP256SHA256, Array(good.dropLast())) == .malformedPublicKey)
        #expect(code(.ecdsaP256SHA256, good + [0]) == .malformedPublicKey)
        #expect(code(.ecdsaP256SHA256, [0x04] + good) == .malformedPublicKey)  // SEC 1 prefix is not DNSSEC form
        #expect(code(.ecdsaP384SHA384, good) == .malformedPublicKey)  // a P-256 key under P-384
        #expect(code(.ecdsaP384SHA384, good + good.prefix(32)) == .malformedPublicKey)  // 96 octets, off the curve
        #expect(code(.ecdsaP256SHA256, [UInt8](repeating: 0, count: 64)) == .malformedPublicKey)
        #expect(code(.ecdsaP256SHA256, [UInt8](repeating: 0xff, count: 64)) == .malformedPublicKey)
        // Changing Y moves the point off the curve (another valid Y exists only for -Y).
        #expect(code(.ecdsaP256SHA256, VectorSupport.flippingBit(good, at: 63)) == .malformedPublicKey)
        #expect(code(.ecdsaP256SHA256, VectorSupport.flippingBit(good, at: 40, bit: 3)) == .malformedPublicKey)
    }

    @Test("ECDSA: signatures of the wrong length or with r or s zero are false")
    func ecdsaSignatures() throws {
        let key = try DNSSECPrivateKey.generate(.ecdsaP384SHA384)
        let data = Array("data".utf8)
        let signature = try key.sign(data)
        #expect(key.publicKey.verify(signature: signature, signedData: data))
        #expect(!key.publicKey.verify(signature: Array(signature.dropLast()), signedData: data))
        #expect(!key.publicKey.verify(signature: signature + [0], signedData: data))
        #expect(!key.publicKey.verify(signature: [], signedData: data))
        #expect(!key.publicKey.verify(signature: [UInt8](repeating: 0, count: 96), signedData: data))
        #expect(!key.publicKey.verify(signature: [UInt8](repeating: 0xff, count: 96), signedData: data))
        var zeroS = signature
        zeroS.replaceSubrange(48..<96, with: [UInt8](repeating: 0, count: 48))
        #expect(!key.publicKey.verify(signature: zeroS, signedData: data))
    }

    @Test("EdDSA: keys of 31 / 56 octets, signatures of the wrong length")
    func eddsa() throws {
        #expect(code(.ed25519, [UInt8](repeating: 7, count: 31)) == .malformedPublicKey)
        #expect(code(.ed25519, [UInt8](repeating: 7, count: 33)) == .malformedPublicKey)
        #expect(code(.ed448, [UInt8](repeating: 7, count: 56)) == .malformedPublicKey)
        let key = try DNSSECPrivateKey.generate(.ed25519)
        let data = Array("data".utf8)
        let signature = try key.sign(data)
        #expect(!key.publicKey.verify(signature: Array(signature.dropLast()), signedData: data))
        #expect(!key.publicKey.verify(signature: signature + [0], signedData: data))
        #expect(!key.publicKey.verify(signature: [UInt8](repeating: 0, count: 64), signedData: data))
    }

    @Test("RSA: a signature of the wrong length or all ones is false")
    func rsaSignatures() throws {
        let key = try DNSSECPrivateKey.generate(.rsaSHA256, rsaModulusBits: 1024)
        let data = Array("data".utf8)
        let signature = try key.sign(data)
        #expect(!key.publicKey.verify(signature: [], signedData: data))
        #expect(!key.publicKey.verify(signature: signature + [0], signedData: data))
        #expect(!key.publicKey.verify(signature: [UInt8](repeating: 0xff, count: 128), signedData: data))
        #expect(
            try !verifyDNSSECSignature(
                algorithm: .rsaSHA256, publicKeyField: key.publicKeyField, signedData: data, signature: []))
        #expect(
            try verifyDNSSECSignature(
                algorithm: .rsaSHA256, publicKeyField: key.publicKeyField, signedData: data, signature: signature))
        // The same key under another RSA algorithm number hashes differently: no match.
        #expect(
            try !verifyDNSSECSignature(
                algorithm: .rsaSHA512, publicKeyField: key.publicKeyField, signedData: data, signature: signature))
    }

    @Test("DNSKEY RDATA: too short, wrong protocol, unsupported algorithm")
    func dnskeyRDATA() {
        func rdataCode(_ rdata: [UInt8]) -> CryptographyError.Code? {
            do {
                _ = try DNSSECPublicKey(dnskeyRDATA: rdata)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(rdataCode([]) == .malformedPublicKey)
        #expect(rdataCode([1, 0, 3, 15]) == .malformedPublicKey)
        #expect(rdataCode([1, 0, 2, 15] + [UInt8](repeating: 1, count: 32)) == .malformedPublicKey)
        #expect(rdataCode([1, 0, 3, 3] + [UInt8](repeating: 1, count: 32)) == .unsupportedAlgorithm)
        #expect(rdataCode([1, 0, 3, 1] + Self.rsaField()) == .unsupportedAlgorithm)  // RSAMD5
        #expect(rdataCode([1, 0, 3, 200] + [UInt8](repeating: 1, count: 32)) == .unsupportedAlgorithm)
    }

    @Test("key tag: RSA/MD5 takes octets from the modulus; short RDATA does not crash")
    func keyTagSpecialCases() {
        #expect(KeyTag.of(dnskeyRDATA: [1, 0, 3, 1, 3, 1, 0, 1, 0x99, 0xab, 0xcd, 0xef]) == 0xabcd)
        #expect(KeyTag.of(dnskeyRDATA: [1, 0, 3, 1]) == 0)
        #expect(KeyTag.of(dnskeyRDATA: []) == 0)
        #expect(KeyTag.of(dnskeyRDATA: [0xff]) == 0xff00)
        // The carry folds back in once: 0xff00 + 0xff + 0x0002 = 0x10001 -> 0x0002.
        #expect(KeyTag.of(dnskeyRDATA: [0xff, 0xff, 0x00, 0x02]) == 0x0002)
    }
}
