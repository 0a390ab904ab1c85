import Foundation


/// A small PKI built with the openssl command line in a temporary folder: a root CA, an
/// intermediate CA, a leaf for `good.example` issued by the intermediate, and a rogue
/// self-signed leaf for the same name. TLSA data is computed here with the CLI too, never with
/// the code under test.
public final class TestPKI {
    public let folder: TemporaryDirectory
    public let hostName: String

    public var rootCertificate: String { folder.file("root.pem") }
    public var intermediateCertificate: String { folder.file("intermediate.pem") }
    public var leafCertificate: String { folder.file("leaf.pem") }
    public var leafKey: String { folder.file("leaf.key") }
    /// Leaf followed by the intermediate, for servers that take one chain file.
    public var leafChain: String { folder.file("leaf-chain.pem") }
    public var rogueCertificate: String { folder.file("rogue.pem") }
    public var rogueKey: String { folder.file("rogue.key") }

    public init(hostName: String = "good.example") throws {
        try requireProgram("openssl", package: "openssl")
        folder = try TemporaryDirectory(prefix: "danegate-pki")
        self.hostName = hostName
        let days = "30"
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try folder.write("ca.ext", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n")
        try folder.write(
            "leaf.ext",
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:\(hostName)\n")
        try openssl(["req", "-x509"] + ec + [
            "-keyout", "root.key", "-out", "root.pem", "-subj", "/CN=danegate test root", "-days", days,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        try openssl(["req"] + ec + ["-keyout", "intermediate.key", "-out", "intermediate.csr", "-subj", "/CN=danegate test intermediate"])
        try openssl([
            "x509", "-req", "-in", "intermediate.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "1001",
            "-days", days, "-extfile", "ca.ext", "-out", "intermediate.pem",
        ])
        try openssl(["req"] + ec + ["-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=\(hostName)"])
        try openssl([
            "x509", "-req", "-in", "leaf.csr", "-CA", "intermediate.pem", "-CAkey", "intermediate.key",
            "-set_serial", "2001", "-days", days, "-extfile", "leaf.ext", "-out", "leaf.pem",
        ])
        try openssl(["req", "-x509"] + ec + [
            "-keyout", "rogue.key", "-out", "rogue.pem", "-subj", "/CN=\(hostName)", "-days", days,
            "-addext", "subjectAltName=DNS:\(hostName)",
        ])
        let chain = try String(contentsOfFile: leafCertificate, encoding: .utf8)
            + String(contentsOfFile: intermediateCertificate, encoding: .utf8)
        try folder.write("leaf-chain.pem", chain)
    }

    @discardableResult
    private func openssl(_ arguments: [String]) throws -> CommandResult {
        try run("openssl", arguments, currentDirectory: folder.path).check("openssl \(arguments.first ?? "")")
    }

    /// SHA-256 of a certificate's SubjectPublicKeyInfo (TLSA 3 1 1 / 2 1 1 data), via the CLI.
    public func spkiSHA256(_ certificate: String) throws -> [UInt8] {
        let result = try shell(
            "openssl x509 -in '\(certificate)' -noout -pubkey | openssl pkey -pubin -outform DER | openssl dgst -sha256 -r")
            .check("spki digest")
        return try hexBytes(firstField(result.stdout))
    }

    /// The DER SubjectPublicKeyInfo itself (TLSA 2 1 0 data), via the CLI.
    public func spkiDER(_ certificate: String) throws -> [UInt8] {
        let result = try shell("openssl x509 -in '\(certificate)' -noout -pubkey | openssl pkey -pubin -outform DER")
            .check("spki")
        return Array(result.stdoutData)
    }

    /// SHA-256 of a certificate's DER (TLSA 3 0 1 / 2 0 1 data), via the CLI.
    public func certificateSHA256(_ certificate: String) throws -> [UInt8] {
        let result = try shell("openssl x509 -in '\(certificate)' -outform DER | openssl dgst -sha256 -r")
            .check("certificate digest")
        return try hexBytes(firstField(result.stdout))
    }

    /// The text of a PEM file.
    public func pem(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    private func firstField(_ line: String) -> String {
        String(line.split(separator: " ").first ?? "")
    }
}

/// Bytes of an even-length hex string.
public func hexBytes(_ hex: String) throws -> [UInt8] {
    let digits = Array(hex.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
    guard digits.count % 2 == 0, !digits.isEmpty else {
        throw TestSupportError(.commandFailed, "not a hex digest: '\(hex)'")
    }
    var bytes: [UInt8] = []
    var index = 0
    while index < digits.count {
        guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
            throw TestSupportError(.commandFailed, "not a hex digest: '\(hex)'")
        }
        bytes.append(byte)
        index += 2
    }
    return bytes
}
