import Foundation
import TestSupport

/// The three signers of the hierarchy, each run in the test's own folder: ldns-signzone
/// (ldnsutils), dnssec-signzone (bind9-utils) and knotd's online signing (knot, keys by keymgr).
/// Each returns the signed zone text (or the zone file knotd will sign) and the DS lines for the
/// parent.
enum ZoneSigners {
    struct Signed {
        var origin: String
        /// The file knotd serves.
        var fileName: String
        /// DS records for the parent, in zone-file form.
        var dsLines: [String]
        /// True when knotd signs the zone itself on load.
        var knotSigns = false
        var knotAlgorithm = ""
    }

    // MARK: ldns

    /// A key by `ldns-keygen`; returns its base name (`Kzone.+alg+tag`).
    static func ldnsKey(_ zone: String, algorithm: String, bits: Int? = nil, ksk: Bool, in directory: String) throws -> String {
        var arguments = ["-a", algorithm]
        if let bits { arguments += ["-b", String(bits)] }
        if ksk { arguments.append("-k") }
        arguments.append(zone)
        let result = try run("ldns-keygen", arguments, currentDirectory: directory, package: "ldnsutils").check("ldns-keygen \(zone)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The DS (SHA-256) of a key, in zone-file form.
    static func ldnsDS(_ keyBase: String, in directory: String) throws -> [String] {
        let result = try run("ldns-key2ds", ["-n", "-2", keyBase + ".key"], currentDirectory: directory, package: "ldnsutils")
            .check("ldns-key2ds \(keyBase)")
        return result.stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    /// Signs `text` with `keys` by ldns-signzone (NSEC, or what `options` such as `-n` ask for);
    /// `inception`/`expiration` as YYYYMMDDhhmmss. Returns the signed text.
    static func ldnsSign(
        _ origin: String, _ text: String, keys: [String], file: String, in directory: TemporaryDirectory,
        inception: String? = nil, expiration: String? = nil, options: [String] = []
    ) throws -> String {
        let input = try directory.write(file, text)
        var arguments = options + ["-o", origin, "-f", input + ".signed"]
        if let inception { arguments += ["-i", inception] }
        if let expiration { arguments += ["-e", expiration] }
        try run("ldns-signzone", arguments + [input] + keys, currentDirectory: directory.path, package: "ldnsutils")
            .check("ldns-signzone \(origin)")
        return try String(contentsOfFile: input + ".signed", encoding: .utf8)
    }

    /// A zone signed by ldns with a KSK and a ZSK of `algorithm`.
    static func ldns(
        _ origin: String, _ text: String, algorithm: String, bits: Int? = nil, in directory: TemporaryDirectory
    ) throws -> (signed: Signed, text: String, keys: [String]) {
        let ksk = try ldnsKey(origin, algorithm: algorithm, bits: bits, ksk: true, in: directory.path)
        let zsk = try ldnsKey(origin, algorithm: algorithm, bits: bits, ksk: false, in: directory.path)
        let file = fileName(origin)
        let signedText = try ldnsSign(origin, text, keys: [ksk, zsk], file: file, in: directory)
        let signed = Signed(origin: origin, fileName: file + ".signed", dsLines: try ldnsDS(ksk, in: directory.path))
        return (signed, signedText, [ksk, zsk])
    }

    // MARK: BIND

    /// A zone signed by dnssec-signzone with a KSK and a ZSK of `algorithm` (a number);
    /// NSEC3 with `nsec3Salt` (0 extra iterations, RFC 9276) when given.
    static func bind(
        _ origin: String, _ text: String, algorithm: Int, nsec3Salt: String? = nil, in directory: TemporaryDirectory
    ) throws -> Signed {
        let keys = directory.file("bind-keys")
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        for ksk in [true, false] {
            try run(
                "dnssec-keygen", ["-q", "-K", keys, "-a", String(algorithm)] + (ksk ? ["-f", "KSK"] : []) + ["-n", "ZONE", origin],
                currentDirectory: directory.path, package: "bind9-utils"
            ).check("dnssec-keygen \(origin)")
        }
        let file = fileName(origin)
        let input = try directory.write(file, text)
        var arguments = ["-q", "-S", "-K", keys, "-d", directory.path, "-o", origin, "-f", input + ".signed"]
        if let nsec3Salt { arguments += ["-3", nsec3Salt, "-H", "0"] }
        try run("dnssec-signzone", arguments + [input], currentDirectory: directory.path, package: "bind9-utils")
            .check("dnssec-signzone \(origin)")
        let dsset = try String(contentsOfFile: directory.file("dsset-\(origin == "." ? "." : origin)"), encoding: .utf8)
        return Signed(origin: origin, fileName: file + ".signed", dsLines: dsset.split(separator: "\n").map(String.init))
    }

    /// The public KSK of a BIND-signed zone: "FLAGS PROTOCOL ALGORITHM BASE64".
    static func bindKSK(_ origin: String, in directory: TemporaryDirectory) throws -> (line: String, rdata: [String]) {
        let keys = directory.file("bind-keys")
        for name in try FileManager.default.contentsOfDirectory(atPath: keys)
        where name.hasPrefix("K\(origin)+") && name.hasSuffix(".key") {
            let text = try String(contentsOfFile: keys + "/" + name, encoding: .utf8)
            guard let line = text.split(separator: "\n").first(where: { !$0.hasPrefix(";") && $0.contains("DNSKEY 257") }) else { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let index = fields.firstIndex(of: "DNSKEY") else { continue }
            return (String(line), Array(fields[(index + 1)...]))
        }
        throw TestSupportError(.notFound, "no KSK for \(origin) in \(keys)")
    }

    // MARK: knot

    /// A zone knotd signs on load with a CSK of `algorithm` (knot's policy name) that keymgr
    /// makes now, so the DS can go into the parent before the server starts.
    static func knot(
        _ origin: String, _ text: String, algorithm: String, configuration: String, in directory: TemporaryDirectory
    ) throws -> Signed {
        let file = fileName(origin)
        _ = try directory.write(file, text)
        try run(
            "keymgr", ["-c", configuration, origin, "generate", "algorithm=\(algorithm)", "ksk=yes", "zsk=yes"],
            currentDirectory: directory.path, package: "knot"
        ).check("keymgr generate \(origin)")
        let ds = try run("keymgr", ["-c", configuration, origin, "ds"], currentDirectory: directory.path, package: "knot")
            .check("keymgr ds \(origin)")
        // keymgr prints "zone. DS tag alg digesttype digest" for SHA-256 and SHA-384; keep SHA-256.
        let lines = ds.stdout.split(separator: "\n").map(String.init).filter {
            let fields = $0.split(separator: " ")
            return fields.count == 6 && fields[1] == "DS" && fields[4] == "2"
        }
        return Signed(origin: origin, fileName: file, dsLines: lines, knotSigns: true, knotAlgorithm: algorithm)
    }

    static func fileName(_ origin: String) -> String {
        origin == "." ? "root.zone" : origin + "zone"
    }
}
