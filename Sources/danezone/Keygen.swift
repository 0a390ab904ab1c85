import ArgumentParser
import Cryptography
import DNSSEC
import DNSWire
import Foundation

/// `danezone keygen`: a new key in BIND's K*.key / K*.private files.
struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a DNSSEC key pair as BIND-style K<zone>+<alg>+<tag>.key/.private files.")

    @Option(name: .shortAndLong, help: "DNSSEC algorithm number: 8, 10, 13, 14, 15 or 16.")
    var algorithm: UInt8 = 13

    @Flag(help: "Make a key-signing key (flags 257, SEP) instead of a zone-signing key (256).")
    var ksk = false

    @Option(help: "Folder to write the files into.")
    var dir: String = "."

    @Option(help: "RSA modulus size in bits.")
    var bits: Int = 2048

    @Argument(help: "The zone the key is for.")
    var zone: String

    func run() throws {
        let zoneName = try Name(presentation: zone.hasSuffix(".") ? zone : zone + ".")
        let key = try DNSSECPrivateKey.generate(DNSSECAlgorithm(rawValue: algorithm), rsaModulusBits: bits)
        let flags = ksk ? SigningKey.keySigningFlags : SigningKey.zoneSigningFlags
        let signingKey = SigningKey(privateKey: key, flags: flags)
        let zoneText = zoneName.presentation
        let stem = BINDKeyFiles.fileNameStem(zone: zoneText, algorithm: key.algorithm, keyTag: signingKey.keyTag)
        let folder = URL(fileURLWithPath: dir)
        let privatePath = folder.appendingPathComponent(stem + ".private").path
        let publicPath = folder.appendingPathComponent(stem + ".key").path
        let created = Int64(Date().timeIntervalSince1970)
        let privateText = try BINDKeyFiles.privateKeyFile(key, created: created)
        guard
            FileManager.default.createFile(
                atPath: privatePath, contents: Data(privateText.utf8), attributes: [.posixPermissions: 0o600])
        else {
            throw ValidationError("cannot write \(privatePath)")
        }
        try BINDKeyFiles.publicKeyFile(zone: zoneText, flags: flags, key: key)
            .write(toFile: publicPath, atomically: true, encoding: .utf8)
        printFlushed(stem)
    }
}

/// Reads a key given as a file stem or as the path of its `.key` or `.private` file.
func readSigningKey(_ path: String) throws -> (key: SigningKey, zone: Name) {
    var stem = path
    for suffix in [".key", ".private"] where stem.hasSuffix(suffix) {
        stem.removeLast(suffix.count)
    }
    return try SigningKey.fromBINDFiles(
        publicKeyText: try readText(stem + ".key"), privateKeyText: try readText(stem + ".private"))
}
