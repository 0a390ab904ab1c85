import Cryptography
import DNSSEC
import DNSWire
import Foundation
import TestSupport
import Testing

/// The signer is checked by others: zones danezone signs (NSEC and NSEC3, algorithms 8, 13
/// and 15, KSK + ZSK or a single key) must pass `ldns-verify-zone` and `dnssec-verify`.
@Suite struct SignerTests {
    static let cases: [(algorithm: UInt8, nsec3: Bool, optOut: Bool)] = [
        (13, false, false), (13, true, false), (15, false, false), (15, true, true), (8, false, false), (8, true, false),
    ]

    @Test(arguments: 0..<cases.count)
    func signedZonePassesLdnsAndBindVerifiers(index: Int) throws {
        let (algorithm, nsec3, optOut) = Self.cases[index]
        let directory = try TemporaryDirectory(prefix: "danezone-sign")
        let zoneFile = try directory.write("zone", comparisonZoneText(origin: "signed.test."))
        let danezone = try builtProduct("danezone")
        var keys: [String] = []
        for extra in [["--ksk"], []] {
            let stem = try run(danezone, ["keygen", "--algorithm", String(algorithm), "--dir", directory.path] + extra + ["signed.test."])
                .check("danezone keygen").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(stem.hasPrefix("Ksigned.test.+0\(algorithm < 10 ? "0" : "")\(algorithm)+"))
            keys.append(directory.file(stem))
        }
        var arguments = ["sign", "--zone", zoneFile, "--origin", "signed.test.", "--output", directory.file("zone.signed")]
        for key in keys { arguments += ["--key", key] }
        if nsec3 { arguments += ["--nsec3", "--salt", "CAFE", "--iterations", "1"] }
        if optOut { arguments += ["--opt-out"] }
        try run(danezone, arguments).check("danezone sign")

        let ldns = try run("ldns-verify-zone", [directory.file("zone.signed")], package: "ldnsutils")
        #expect(ldns.status == 0, "ldns-verify-zone: \(ldns.stdout) \(ldns.stderr)")
        let bind = try run("dnssec-verify", ["-o", "signed.test.", directory.file("zone.signed")], package: "bind9-utils")
        #expect(bind.status == 0, "dnssec-verify: \(bind.stdout) \(bind.stderr)")
        #expect((bind.stdout + bind.stderr).contains("Zone fully signed"))
    }

    @Test func keysFromBINDAndLdnsWithTwoAlgorithmsSignACompleteZone() throws {
        // RFC 4035 §2.2: each algorithm in the DNSKEY set signs every RRset.
        let directory = try TemporaryDirectory(prefix: "danezone-foreign-keys")
        let zoneFile = try directory.write("zone", comparisonZoneText(origin: "mixed.test."))
        func output(_ result: CommandResult) -> String { result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
        let keys = [
            output(try run("dnssec-keygen", ["-q", "-K", directory.path, "-a", "13", "-f", "KSK", "mixed.test."],
                           currentDirectory: directory.path, package: "bind9-utils").check()),
            output(try run("ldns-keygen", ["-a", "ED25519", "-k", "mixed.test."], currentDirectory: directory.path,
                           package: "ldnsutils").check()),
            output(try run("ldns-keygen", ["-a", "ED25519", "mixed.test."], currentDirectory: directory.path,
                           package: "ldnsutils").check()),
            output(try run("ldns-keygen", ["-a", "ECDSAP256SHA256", "mixed.test."], currentDirectory: directory.path,
                           package: "ldnsutils").check()),
        ]
        var arguments = ["sign", "--zone", zoneFile, "--origin", "mixed.test.", "--output", directory.file("signed")]
        for key in keys { arguments += ["--key", directory.file(key)] }
        try run(try builtProduct("danezone"), arguments).check("danezone sign")
        let ldns = try run("ldns-verify-zone", [directory.file("signed")], package: "ldnsutils")
        #expect(ldns.status == 0, "\(ldns.stdout) \(ldns.stderr)")
        let bind = try run("dnssec-verify", ["-o", "mixed.test.", directory.file("signed")], package: "bind9-utils")
        #expect(bind.status == 0, "\(bind.stdout) \(bind.stderr)")
    }

    @Test func singleKeySignsEverything() throws {
        let key = SigningKey(privateKey: try DNSSECPrivateKey.generate(.ed25519), flags: 257)
        let origin = try Name(presentation: "one.test.")
        var parser = ZoneFileParser(text: Array(comparisonZoneText(origin: "one.test.").utf8))
        let signed = try ZoneSigner.sign(
            records: try parser.records(), origin: origin, keys: [key],
            options: ZoneSigningOptions(inception: 1_700_000_000, expiration: 1_800_000_000))
        let signatures = signed.compactMap { $0.rdata as? RRSIG }
        #expect(signatures.allSatisfy { $0.keyTag == key.keyTag && $0.signerName == origin })
        #expect(signatures.allSatisfy { $0.inception == 1_700_000_000 && $0.expiration == 1_800_000_000 })
        // Glue and the NS set of a delegation are not signed; the DS set is.
        let covered = Set(signed.compactMap { record in
            (record.rdata as? RRSIG).map { "\(record.owner.presentation) \($0.typeCovered)" }
        })
        #expect(!covered.contains("ns.sub.one.test. A"))
        #expect(!covered.contains("sub.one.test. NS"))
        #expect(covered.contains("secure.one.test. DS"))
        #expect(covered.contains("sub.one.test. NSEC"))
        #expect(covered.contains("one.test. DNSKEY"))
    }

    @Test func dsCommandPrintsTheDigestOfTheKey() throws {
        let directory = try TemporaryDirectory(prefix: "danezone-ds")
        let danezone = try builtProduct("danezone")
        let stem = try run(danezone, ["keygen", "-a", "13", "--ksk", "--dir", directory.path, "ds.test."])
            .check().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let ours = try run(danezone, ["ds", directory.file(stem + ".key")]).check().stdout
        // BIND's dnssec-dsfromkey must print the same record.
        let theirs = try run("dnssec-dsfromkey", ["-2", directory.file(stem + ".key")], package: "bind9-utils").check().stdout
        func fields(_ text: String) -> [String] {
            text.split(whereSeparator: \.isWhitespace).map(String.init).filter { $0 != "IN" }.map { $0.uppercased() }
        }
        #expect(fields(ours) == fields(theirs))
    }

    @Test func missingKeyIsAnError() throws {
        let origin = try Name(presentation: "x.test.")
        #expect(throws: ZoneSigningError.self) {
            _ = try ZoneSigner.sign(records: [], origin: origin, keys: [], options: ZoneSigningOptions(inception: 0, expiration: 1))
        }
    }
}
