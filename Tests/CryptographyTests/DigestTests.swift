import Cryptography
import Testing

@Suite("Digests")
struct DigestTests {
    // FIPS 180-4 example "abc" digests.
    static let abc: [(DigestAlgorithm, String)] = [
        (.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d"),
        (.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (.sha384,
         "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
        (.sha512,
         "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
    ]

    @Test("one-shot digests of \"abc\" match FIPS 180-4", arguments: abc)
    func oneShot(algorithm: DigestAlgorithm, expected: String) {
        let digest = MessageDigest.hash(algorithm, Array("abc".utf8))
        #expect(Hex.encode(digest) == expected)
        #expect(digest.count == algorithm.outputSize)
    }

    @Test("the named shortcuts give the same digests")
    func shortcuts() {
        let input = Array("abc".utf8)
        #expect(MessageDigest.sha1(input) == MessageDigest.hash(.sha1, input))
        #expect(MessageDigest.sha256(input) == MessageDigest.hash(.sha256, input))
        #expect(MessageDigest.sha384(input) == MessageDigest.hash(.sha384, input))
        #expect(MessageDigest.sha512(input) == MessageDigest.hash(.sha512, input))
    }

    @Test("the empty message has the standard SHA-256 digest")
    func emptyMessage() {
        #expect(
            Hex.encode(MessageDigest.sha256([]))
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let streaming = MessageDigest(.sha256)
        streaming.update([])
        #expect(Hex.encode(streaming.finalize()) == Hex.encode(MessageDigest.sha256([])))
    }

    @Test("streaming in uneven pieces equals one shot on a large input", arguments: DigestAlgorithm.allCases)
    func streamingEqualsOneShot(algorithm: DigestAlgorithm) {
        let input = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        let streaming = MessageDigest(algorithm)
        var offset = 0
        var step = 1
        while offset < input.count {
            let end = min(input.count, offset + step)
            streaming.update(input[offset..<end])
            offset = end
            step = step * 7 + 3
        }
        #expect(streaming.finalize() == MessageDigest.hash(algorithm, input))
    }

    @Test("finalize starts a new message")
    func finalizeResets() {
        let digest = MessageDigest(.sha1)
        digest.update(Array("junk".utf8))
        _ = digest.finalize()
        digest.update(Array("abc".utf8))
        #expect(Hex.encode(digest.finalize()) == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    @Test("hex round-trips and refuses bad text")
    func hex() {
        let bytes: [UInt8] = [0x00, 0x01, 0x7f, 0x80, 0xab, 0xff]
        #expect(Hex.encode(bytes) == "00017f80abff")
        #expect(Hex.decode("00017F80ABff") == bytes)
        #expect(Hex.decode("0001 7f80\nabff") == bytes)
        #expect(Hex.decode("") == [])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }
}

@Suite("SecureRandom")
struct SecureRandomTests {
    @Test("gives the requested number of bytes, and they vary")
    func bytes() {
        #expect(SecureRandom.bytes(0).isEmpty)
        let a = SecureRandom.bytes(32)
        let b = SecureRandom.bytes(32)
        #expect(a.count == 32)
        #expect(a != b)  // equal only with probability 2^-256
    }

    @Test("16- and 32-bit values are not constant")
    func numbers() {
        let ids = Set((0..<64).map { _ in SecureRandom.uint16() })
        #expect(ids.count > 32)
        let words = Set((0..<64).map { _ in SecureRandom.uint32() })
        #expect(words.count > 60)
    }
}
