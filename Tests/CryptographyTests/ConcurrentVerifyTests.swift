import Cryptography
import DNSWire
import Testing

/// The validator shares one parsed key between tasks; OpenSSL 3 keys allow concurrent
/// read-only use, and our wrapper must not add shared mutable state.
@Suite("Concurrent use of one key")
struct ConcurrentVerifyTests {
    @Test(
        "many tasks verify and sign with the same keys at once",
        arguments: [DNSSECAlgorithm.rsaSHA256, .ecdsaP256SHA256, .ed25519])
    func concurrent(algorithm: DNSSECAlgorithm) async throws {
        let key = try DNSSECPrivateKey.generate(algorithm, rsaModulusBits: 1024)
        let publicKey = try DNSSECPublicKey(algorithm: algorithm, publicKeyField: key.publicKeyField)
        let data = Array("shared".utf8)
        let signature = try key.sign(data)
        let results = await withTaskGroup(of: Bool.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for round in 0..<40 {
                        let good = publicKey.verify(signature: signature, signedData: data)
                        let bad = publicKey.verify(signature: signature, signedData: data + [UInt8(round)])
                        let fresh =
                            (try? key.sign(data + [UInt8(task)])).map {
                                publicKey.verify(signature: $0, signedData: data + [UInt8(task)])
                            } ?? false
                        if !good || bad || !fresh { return false }
                    }
                    return true
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results == Array(repeating: true, count: 8))
    }

    @Test("verify takes raw buffers, e.g. a slice of a larger message")
    func rawBuffers() throws {
        let key = try DNSSECPrivateKey.generate(.ed25519)
        let message = Array("prefix|".utf8) + Array("signed part".utf8) + Array("|suffix".utf8)
        let part = message[7..<18]
        let signature = try key.sign(Array(part))
        let ok = part.withUnsafeBytes { data in
            signature.withUnsafeBytes { key.publicKey.verify(signature: $0, signedData: data) }
        }
        #expect(ok)
    }
}
