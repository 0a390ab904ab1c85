import Foundation
import TestSupport

/// Certificates for the verify corpus, made with the openssl command line in a folder of the
/// test's own: a root CA, an intermediate, and leaves issued by the intermediate for a name
/// with a chosen validity window. Expired and not-yet-valid leaves come from `openssl ca
/// -startdate/-enddate` (OpenSSL 3.0's `x509 -req` cannot set dates in the past).
final class CertificateCorpus {
    let folder: TemporaryDirectory

    var root: String { folder.file("root.pem") }
    var intermediate: String { folder.file("intermediate.pem") }

    init() throws {
        try requireProgram("openssl", package: "openssl")
        folder = try TemporaryDirectory(prefix: "danegate-corpus")
        try folder.write("ca.ext", "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n")
        try folder.write("index.txt", "")
        try folder.write("serial", "1000\n")
        try FileManager.default.createDirectory(atPath: folder.file("issued"), withIntermediateDirectories: true)
        try folder.write(
            "ca.cnf",
            """
            [ ca ]
            default_ca = issuer
            [ issuer ]
            database = index.txt
            new_certs_dir = issued
            serial = serial
            default_md = sha256
            policy = any_name
            unique_subject = no
            copy_extensions = none
            [ any_name ]
            commonName = supplied

            """)
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", "root.key", "-out", "root.pem", "-subj", "/CN=corpus root", "-days", "30",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", "intermediate.key", "-out", "intermediate.csr", "-subj", "/CN=corpus intermediate"])
        try openssl(["x509", "-req", "-in", "intermediate.csr", "-CA", "root.pem", "-CAkey", "root.key",
                     "-set_serial", "77", "-days", "30", "-extfile", "ca.ext", "-out", "intermediate.pem"])
    }

    /// A leaf for `name` valid from `start` to `end` (YYMMDDHHMMSSZ), issued by the
    /// intermediate. Writes `<label>.pem` (leaf), `<label>.key` and `<label>-chain.pem` (leaf
    /// then intermediate).
    @discardableResult
    func leaf(_ label: String, name: String, start: String, end: String) throws -> String {
        try folder.write(
            "\(label).ext",
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:\(name)\n")
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", "\(label).key", "-out", "\(label).csr", "-subj", "/CN=\(name)"])
        try openssl(["ca", "-batch", "-config", "ca.cnf", "-cert", "intermediate.pem", "-keyfile", "intermediate.key",
                     "-in", "\(label).csr", "-out", "\(label).pem", "-startdate", start, "-enddate", end,
                     "-extfile", "\(label).ext", "-notext"])
        let chain = try String(contentsOfFile: folder.file("\(label).pem"), encoding: .utf8)
            + String(contentsOfFile: intermediate, encoding: .utf8)
        try folder.write("\(label)-chain.pem", chain)
        return folder.file("\(label)-chain.pem")
    }

    func file(_ name: String) -> String { folder.file(name) }

    /// TLSA association data computed with the CLI (never with the code under test):
    /// selector 0 the DER certificate, 1 the SPKI; matching type 0 hex of the bytes, 1 SHA-256,
    /// 2 SHA-512.
    func data(_ certificate: String, selector: Int, matchingType: Int) throws -> String {
        let select = selector == 0
            ? "openssl x509 -in '\(certificate)' -outform DER"
            : "openssl x509 -in '\(certificate)' -noout -pubkey | openssl pkey -pubin -outform DER"
        let digest: String
        switch matchingType {
        case 0: digest = "od -An -v -tx1 | tr -d ' \\n'"
        case 1: digest = "openssl dgst -sha256 -r | cut -d' ' -f1"
        default: digest = "openssl dgst -sha512 -r | cut -d' ' -f1"
        }
        return try shell("\(select) | \(digest)").check("tlsa data").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    private func openssl(_ arguments: [String]) throws -> CommandResult {
        try run("openssl", arguments, currentDirectory: folder.path).check("openssl \(arguments.first ?? "")")
    }
}
