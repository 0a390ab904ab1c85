import Foundation
import Testing
import TestSupport

/// `dane gen` prints what hash-slinger's `tlsa --create` prints for RSA, ECDSA and Ed25519
/// certificates, in every selector and matching-type combination.
@Suite struct GenHashSlingerTests {
    @Test(arguments: [
        ["-newkey", "rsa:2048"],
        ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
        ["-newkey", "ed25519"],
    ])
    func genEqualsHashSlinger(_ keyArguments: [String]) throws {
        try requireProgram("tlsa", package: "hash-slinger")
        let folder = try TemporaryDirectory(prefix: "danegate-gen")
        try run("openssl", ["req", "-x509", "-nodes"] + keyArguments + [
            "-keyout", folder.file("key.pem"), "-out", folder.file("cert.pem"), "-subj", "/CN=gen.example", "-days", "2",
        ], package: "openssl").check("openssl req")
        let dane = try builtProduct("dane")
        for usage in [1, 3] {
            for selector in 0...1 {
                for matchingType in 0...2 {
                    let ours = try run(dane, [
                        "gen", "--cert", folder.file("cert.pem"), "--usage", "\(usage)", "--selector", "\(selector)",
                        "--mtype", "\(matchingType)", "--host", "gen.example", "--port", "25",
                    ]).check("dane gen")
                    let theirs = try run("tlsa", [
                        "--create", "--certificate", folder.file("cert.pem"), "--usage", "\(usage)", "--selector",
                        "\(selector)", "--mtype", "\(matchingType)", "--port", "25", "gen.example",
                    ], package: "hash-slinger").check("tlsa --create")
                    let expected = theirs.stdout.split(separator: "\n").first { $0.contains(" IN TLSA ") }.map(String.init)
                    #expect(ours.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == expected,
                            "usage \(usage) selector \(selector) mtype \(matchingType)")
                }
            }
        }
    }
}
