import Foundation
import TestSupport

/// Certificates for the verify corpus, made with the openssl command line in a folder of the
/// test's own: a root CA, an intermediate, and leaves issued by the intermediate for chosen
/// names (wildcards too) and a chosen validity window; and a cross-signed hierarchy (a second
/// root, the same root cross-signed by the first, an intermediate under it). Expired and
/// not-yet-valid leaves come from `openssl ca -startdate/-enddate` (OpenSSL 3.0's `x509 -req`
/// cannot set dates in the past).
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

    /// A leaf for `name` (its subject CN and only DNS name) valid from `start` to `end`
    /// (YYMMDDHHMMSSZ), issued by `issuer` ("intermediate" or "intermediate2"). Writes
    /// `<label>.pem` (leaf), `<label>.key`, `<label>-extra.pem` (what a server sends after the
    /// leaf: the intermediate, and for intermediate2 the cross-signed root too) and
    /// `<label>-chain.pem` (the leaf then the extra certificates).
    @discardableResult
    func leaf(_ label: String, name: String, start: String, end: String, issuer: String = "intermediate") throws -> String {
        try folder.write(
            "\(label).ext",
            "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:\(name)\n")
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", "\(label).key", "-out", "\(label).csr", "-subj", "/CN=\(name)"])
        try openssl(["ca", "-batch", "-config", "ca.cnf", "-cert", "\(issuer).pem", "-keyfile", "\(issuer).key",
                     "-in", "\(label).csr", "-out", "\(label).pem", "-startdate", start, "-enddate", end,
                     "-extfile", "\(label).ext", "-notext"])
        var extra = try String(contentsOfFile: folder.file("\(issuer).pem"), encoding: .utf8)
        if issuer == "intermediate2" { extra += try String(contentsOfFile: root2Cross, encoding: .utf8) }
        try folder.write("\(label)-extra.pem", extra)
        try folder.write("\(label)-chain.pem", try String(contentsOfFile: folder.file("\(label).pem"), encoding: .utf8) + extra)
        return folder.file("\(label)-chain.pem")
    }

    var root2: String { folder.file("root2.pem") }
    var root2Cross: String { folder.file("root2-cross.pem") }
    var intermediate2: String { folder.file("intermediate2.pem") }

    /// A second root, self-signed (root2.pem), the same subject and key cross-signed by the
    /// first root (root2-cross.pem), and intermediate2 issued by root2. A server under it sends
    /// leaf, intermediate2, root2-cross: the chain reaches root2's key through the cross
    /// certificate, and the first root is not sent.
    func makeCrossSignedHierarchy() throws {
        try openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", "root2.key", "-out", "root2.pem", "-subj", "/CN=corpus root 2", "-days", "30",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"])
        try openssl(["req", "-new", "-key", "root2.key", "-out", "root2.csr", "-subj", "/CN=corpus root 2"])
        try openssl(["x509", "-req", "-in", "root2.csr", "-CA", "root.pem", "-CAkey", "root.key",
                     "-set_serial", "78", "-days", "30", "-extfile", "ca.ext", "-out", "root2-cross.pem"])
        try openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                     "-keyout", "intermediate2.key", "-out", "intermediate2.csr", "-subj", "/CN=corpus intermediate 2"])
        try openssl(["x509", "-req", "-in", "intermediate2.csr", "-CA", "root2.pem", "-CAkey", "root2.key",
                     "-set_serial", "79", "-days", "30", "-extfile", "ca.ext", "-out", "intermediate2.pem"])
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
