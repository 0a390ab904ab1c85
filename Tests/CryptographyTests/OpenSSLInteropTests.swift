import DNSWire
import Foundation
import TestSupport
import Testing

@testable import Cryptography

/// Our signatures check out with the openssl command-line tool, and its signatures with us.
/// ECDSA signatures cross as DER (what the CLI speaks), converted from and to the DNSSEC r||s
/// form; EdDSA goes through `pkeyutl -rawin` because it has no separate digest.
@Suite("openssl CLI interoperability")
struct OpenSSLInteropTests {
    static let cases: [DNSSECAlgorithm] = [
        .rsaSHA256, .rsaSHA512, .ecdsaP256SHA256, .ecdsaP384SHA384, .ed25519, .ed448,
    ]

    /// The CLI digest option for the algorithm, nil for EdDSA.
    static func digestOption(_ algorithm: DNSSECAlgorithm) -> String? {
        switch algorithm {
        case .rsaSHA256, .ecdsaP256SHA256: "-sha256"
        case .rsaSHA512: "-sha512"
        case .ecdsaP384SHA384: "-sha384"
        default: nil
        }
    }

    static func coordinateSize(_ algorithm: DNSSECAlgorithm) -> Int? {
        switch algorithm {
        case .ecdsaP256SHA256: 32
        case .ecdsaP384SHA384: 48
        default: nil
        }
    }

    static func genpkeyArguments(_ algorithm: DNSSECAlgorithm) -> [String] {
        switch algorithm {
        case .ecdsaP256SHA256: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
        case .ecdsaP384SHA384: ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"]
        case .ed25519: ["-algorithm", "ED25519"]
        case .ed448: ["-algorithm", "ED448"]
        default: ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"]
        }
    }

    @Test("a signature we make verifies with openssl", arguments: cases)
    func weSignOpenSSLVerifies(algorithm: DNSSECAlgorithm) throws {
        let folder = try TemporaryDirectory(prefix: "crypto-interop")
        let key = try DNSSECPrivateKey.generate(algorithm, rsaModulusBits: 1024)
        let message = Array("signed data for the CLI".utf8) + SecureRandom.bytes(64)
        var signature = try key.sign(message)
        if let size = Self.coordinateSize(algorithm) {
            signature = try #require(
                signature.withUnsafeBytes {
                    ECDSASignatureEncoding.der(fromWire: $0, coordinateSize: size)
                })
        }
        let publicPEM = try folder.write("public.pem", try key.publicKey.pemPublicKey())
        let messageFile = folder.file("message")
        let signatureFile = folder.file("signature")
        try Data(message).write(to: URL(fileURLWithPath: messageFile))
        try Data(signature).write(to: URL(fileURLWithPath: signatureFile))

        let result: CommandResult
        if let digest = Self.digestOption(algorithm) {
            result = try run(
                "openssl", ["dgst", digest, "-verify", publicPEM, "-signature", signatureFile, messageFile],
                package: "openssl")
        } else {
            result = try run(
                "openssl",
                [
                    "pkeyutl", "-verify", "-pubin", "-inkey", publicPEM, "-rawin", "-in", messageFile, "-sigfile",
                    signatureFile,
                ],
                package: "openssl")
        }
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("Verified") || result.stdout.contains("Successfully"), "\(result.stdout)")

        // And the CLI says no to a tampered message.
        try Data(message + [0]).write(to: URL(fileURLWithPath: messageFile))
        let tampered: CommandResult
        if let digest = Self.digestOption(algorithm) {
            tampered = try run(
                "openssl", ["dgst", digest, "-verify", publicPEM, "-signature", signatureFile, messageFile],
                package: "openssl")
        } else {
            tampered = try run(
                "openssl",
                [
                    "pkeyutl", "-verify", "-pubin", "-inkey", publicPEM, "-rawin", "-in", messageFile, "-sigfile",
                    signatureFile,
                ],
                package: "openssl")
        }
        #expect(tampered.status != 0)
    }

    @Test("a signature openssl makes verifies with us; its keys load", arguments: cases)
    func openSSLSignsWeVerify(algorithm: DNSSECAlgorithm) throws {
        let folder = try TemporaryDirectory(prefix: "crypto-interop")
        let keyFile = folder.file("key.pem")
        let publicFile = folder.file("public.pem")
        let messageFile = folder.file("message")
        let signatureFile = folder.file("signature")
        let message = Array("RRSIG RDATA and RRset from the CLI".utf8) + SecureRandom.bytes(50)
        try Data(message).write(to: URL(fileURLWithPath: messageFile))

        try run("openssl", ["genpkey"] + Self.genpkeyArguments(algorithm) + ["-out", keyFile], package: "openssl")
            .check("openssl genpkey")
        try run("openssl", ["pkey", "-in", keyFile, "-pubout", "-out", publicFile], package: "openssl")
            .check("openssl pkey -pubout")
        if let digest = Self.digestOption(algorithm) {
            try run(
                "openssl", ["dgst", digest, "-sign", keyFile, "-out", signatureFile, messageFile], package: "openssl"
            )
            .check("openssl dgst -sign")
        } else {
            try run(
                "openssl",
                ["pkeyutl", "-sign", "-inkey", keyFile, "-rawin", "-in", messageFile, "-out", signatureFile],
                package: "openssl"
            ).check("openssl pkeyutl -sign")
        }
        var signature = Array(try Data(contentsOf: URL(fileURLWithPath: signatureFile)))
        if let size = Self.coordinateSize(algorithm) {
            signature = try #require(ECDSASignatureEncoding.wire(fromDER: signature, coordinateSize: size))
        }

        let publicKey = try DNSSECPublicKey(
            pemPublicKey: try String(contentsOfFile: publicFile, encoding: .utf8), algorithm: algorithm)
        #expect(publicKey.verify(signature: signature, signedData: message))
        #expect(!publicKey.verify(signature: signature, signedData: message + [0]))

        // Through the DNSKEY form, as a validator would meet the key.
        let fromField = try DNSSECPublicKey(algorithm: algorithm, publicKeyField: publicKey.publicKeyField)
        #expect(fromField.verify(signature: signature, signedData: message))

        // The CLI's private key file loads as a signing key with the same public half.
        let privateKey = try DNSSECPrivateKey(
            pemPrivateKey: try String(contentsOfFile: keyFile, encoding: .utf8), algorithm: algorithm)
        #expect(privateKey.publicKeyField == publicKey.publicKeyField)
        #expect(publicKey.verify(signature: try privateKey.sign(message), signedData: message))
    }
}
