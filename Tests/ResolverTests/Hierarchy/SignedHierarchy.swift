import Foundation
import TestSupport

/// A real DNSSEC hierarchy on loopback, built once per test process:
///
///     .            dnssec-signzone, algorithm 13 (the trust anchor is its KSK)
///     test.        ldns-signzone, algorithm 8, NSEC
///       a10.test.      ldns, algorithm 10, NSEC (NXDOMAIN and NODATA proofs)
///       a13.test.      dnssec-signzone, algorithm 13
///       a14.test.      dnssec-signzone, algorithm 14
///       a15.test.      knotd online signing, algorithm 15 (keys by keymgr)
///       a16.test.      ldns, algorithm 16
///       example.test.  dnssec-signzone, algorithm 13, NSEC3; a TLSA and a CNAME into a15.test.
///       insecure.test. unsigned, no DS (an insecure delegation)
///       bogus.test.    ldns, algorithm 13, with a tampered RRSIG, an RRSIG by a key not in the
///                      DNSKEY set and an expired RRSIG
///       badds.test.    ldns, algorithm 13; the DS in test. matches none of its keys
///
/// One knotd serves the root zone on 127.53.X.3:53 (`root-ns.test.`), another every other zone
/// on 127.53.X.1:53 (`ns1.test.`), so resolution follows a real referral from the root; unbound
/// on 127.53.X.2:53 resolves iteratively from root hints naming the root server and validates
/// from the root KSK. Children are killed by PID when the test process exits.
final class SignedHierarchy: @unchecked Sendable {
    let directory: TemporaryDirectory
    /// The server of every zone but the root.
    let authorityAddress: String
    /// The root server (the root hints).
    let rootServerAddress: String
    let resolverAddress: String
    /// The root KSK in zone-file form (Unbound's trust-anchor-file, our TrustAnchorFile).
    let anchorFile: String
    /// The root KSK as BIND's `trust-anchors { }` (for delv).
    let bindAnchorFile: String
    private let knot: PeerProcess
    private let rootKnot: PeerProcess
    private let unbound: PeerProcess

    /// Built on first use; every suite shares it.
    static let shared: Result<SignedHierarchy, any Error> = Result { try SignedHierarchy() }

    static func get() throws -> SignedHierarchy { try shared.get() }

    private init() throws {
        _ = try requireProgram("knotd", package: "knot")
        _ = try requireProgram("unbound", package: "unbound")
        _ = try requireProgram("ldns-signzone", package: "ldnsutils")
        _ = try requireProgram("dnssec-signzone", package: "bind9-utils")
        _ = try requireProgram("delv", package: "bind9-dnsutils")
        _ = try requireProgram("dig", package: "bind9-dnsutils")
        directory = try TemporaryDirectory(prefix: "danegate-h10-hierarchy")
        ProcessLifetimeCleanup.keep(directory)
        let base = try LoopbackAddresses.freeBase()
        authorityAddress = base + ".1"
        resolverAddress = base + ".2"
        rootServerAddress = base + ".3"

        let knotConfiguration = directory.file("knot.conf")
        let children = try Self.signChildren(in: directory, authority: authorityAddress, knotConfiguration: knotConfiguration)
        let test = try Self.signTLD(children: children, in: directory, authority: authorityAddress, root: rootServerAddress)
        let root = try ZoneSigners.bind(
            ".",
            ZoneText.zone(
                ".", ["test. NS ns1.test.", "ns1.test. A \(authorityAddress)", "root-ns.test. A \(rootServerAddress)"] + test.dsLines,
                nameServer: "root-ns.test."),
            algorithm: 13, in: directory)
        let zones = [test] + children

        let ksk = try ZoneSigners.bindKSK(".", in: directory)
        anchorFile = try directory.write("root-anchor.key", ksk.line + "\n")
        let key = ksk.rdata[3...].joined()
        bindAnchorFile = try directory.write(
            "root-anchor.conf", "trust-anchors {\n    . static-key \(ksk.rdata[0]) \(ksk.rdata[1]) \(ksk.rdata[2]) \"\(key)\";\n};\n")

        _ = try directory.write("knot.conf", Self.knotConfiguration(zones, address: authorityAddress, directory: directory.path))
        let rootDirectory = directory.file("root-server")
        try FileManager.default.createDirectory(atPath: rootDirectory, withIntermediateDirectories: true)
        let rootConfiguration = try directory.write(
            "knot-root.conf",
            Self.knotConfiguration([root], address: rootServerAddress, directory: rootDirectory, zoneDirectory: directory.path))
        knot = try PeerProcess("knotd", ["-c", knotConfiguration], package: "knot", currentDirectory: directory.path)
        ProcessLifetimeCleanup.keep(knot)
        rootKnot = try PeerProcess("knotd", ["-c", rootConfiguration], package: "knot", currentDirectory: directory.path)
        ProcessLifetimeCleanup.keep(rootKnot)
        // knotd loads (and signs) every zone before it reports the server started.
        try knot.waitForLine(containing: "server started", timeout: 20)
        try rootKnot.waitForLine(containing: "server started", timeout: 20)

        _ = try directory.write("root.hints", ". 3600000 NS root-ns.test.\nroot-ns.test. 3600000 A \(rootServerAddress)\n")
        let unboundConfiguration = try directory.write("unbound.conf", Self.unboundConfiguration(
            address: resolverAddress, directory: directory.path))
        unbound = try PeerProcess("unbound", ["-d", "-c", unboundConfiguration], package: "unbound", currentDirectory: directory.path)
        ProcessLifetimeCleanup.keep(unbound)
        try unbound.waitForLine(containing: "start of service", timeout: 20)
    }

    /// Signs the child zones of `test.` (which need the knot configuration for keymgr).
    private static func signChildren(
        in directory: TemporaryDirectory, authority: String, knotConfiguration: String
    ) throws -> [ZoneSigners.Signed] {
        var zones: [ZoneSigners.Signed] = []
        zones.append(try ZoneSigners.ldns(
            "a10.test.", ZoneText.zone("a10.test.", ["www A 192.0.2.10"]), algorithm: "RSASHA512", bits: 1024, in: directory).signed)
        zones.append(try ZoneSigners.bind("a13.test.", ZoneText.zone("a13.test.", ["www A 192.0.2.13"]), algorithm: 13, in: directory))
        zones.append(try ZoneSigners.bind("a14.test.", ZoneText.zone("a14.test.", ["www A 192.0.2.14"]), algorithm: 14, in: directory))
        zones.append(try ZoneSigners.ldns(
            "a16.test.", ZoneText.zone("a16.test.", ["www A 192.0.2.16"]), algorithm: "ED448", in: directory).signed)
        zones.append(try ZoneSigners.bind(
            "example.test.",
            ZoneText.zone("example.test.", [
                "www A 192.0.2.80",
                "_443._tcp.www TLSA 3 1 1 \(String(repeating: "ab", count: 32))",
                "_443._tcp.alias CNAME _443._tcp.www.a15.test.",
            ]),
            algorithm: 13, nsec3Salt: "c0ffee", in: directory))
        zones.append(ZoneSigners.Signed(origin: "insecure.test.", fileName: "insecure.test.zone", dsLines: []))
        _ = try directory.write("insecure.test.zone", ZoneText.zone("insecure.test.", ["www A 192.0.2.99"]))
        zones.append(try bogusZone(in: directory))
        zones.append(try badDSZone(in: directory))
        // knotd signs a15.test. itself; keymgr reads the policy from the configuration.
        let a15Text = ZoneText.zone("a15.test.", ["www A 192.0.2.15", "_443._tcp.www TLSA 3 1 1 \(String(repeating: "cd", count: 32))"])
        let pending = ZoneSigners.Signed(
            origin: "a15.test.", fileName: "a15.test.zone", dsLines: [], knotSigns: true, knotAlgorithm: "ed25519")
        _ = try directory.write("knot.conf", Self.knotConfiguration(zones + [pending], address: authority, directory: directory.path))
        zones.append(try ZoneSigners.knot("a15.test.", a15Text, algorithm: "ed25519", configuration: knotConfiguration, in: directory))
        return zones
    }

    /// bogus.test.: signed normally, then three RRSIGs replaced: one with a flipped signature
    /// byte, one made by a key that is not in the DNSKEY set, one that expired in 2020.
    private static func bogusZone(in directory: TemporaryDirectory) throws -> ZoneSigners.Signed {
        let origin = "bogus.test."
        let text = ZoneText.zone(origin, [
            "www A 192.0.2.20", "tampered A 192.0.2.21", "wrongkey A 192.0.2.22", "expired A 192.0.2.23",
        ])
        let made = try ZoneSigners.ldns(origin, text, algorithm: "ECDSAP256SHA256", in: directory)
        let (signed, keys) = (made.signed, made.keys)
        var signedText = made.text
        if let line = ZoneText.signatureLine(in: signedText, owner: "tampered.bogus.test.", covered: "A") {
            signedText = ZoneText.replacingSignature(
                in: signedText, owner: "tampered.bogus.test.", covered: "A", with: ZoneText.tampered(line))
        }
        let strayKey = try ZoneSigners.ldnsKey(origin, algorithm: "ECDSAP256SHA256", ksk: false, in: directory.path)
        let stray = try ZoneSigners.ldnsSign(origin, text, keys: [strayKey], file: "bogus-stray.zone", in: directory)
        if let line = ZoneText.signatureLine(in: stray, owner: "wrongkey.bogus.test.", covered: "A") {
            signedText = ZoneText.replacingSignature(in: signedText, owner: "wrongkey.bogus.test.", covered: "A", with: line)
        }
        let old = try ZoneSigners.ldnsSign(
            origin, text, keys: keys, file: "bogus-expired.zone", in: directory,
            inception: "20200101000000", expiration: "20200201000000")
        if let line = ZoneText.signatureLine(in: old, owner: "expired.bogus.test.", covered: "A") {
            signedText = ZoneText.replacingSignature(in: signedText, owner: "expired.bogus.test.", covered: "A", with: line)
        }
        _ = try directory.write(signed.fileName, signedText)
        return signed
    }

    /// badds.test.: a well-signed zone whose DS in the parent is that of another key.
    private static func badDSZone(in directory: TemporaryDirectory) throws -> ZoneSigners.Signed {
        var signed = try ZoneSigners.ldns(
            "badds.test.", ZoneText.zone("badds.test.", ["www A 192.0.2.30"]), algorithm: "ECDSAP256SHA256", in: directory
        ).signed
        let other = try ZoneSigners.ldnsKey("badds.test.", algorithm: "ECDSAP256SHA256", ksk: true, in: directory.path)
        signed.dsLines = try ZoneSigners.ldnsDS(other, in: directory.path)
        return signed
    }

    /// test.: ldns, algorithm 8 (RSA 1024 bits keeps key generation fast), NSEC, with a
    /// delegation and DS set for each child.
    private static func signTLD(
        children: [ZoneSigners.Signed], in directory: TemporaryDirectory, authority: String, root: String
    ) throws -> ZoneSigners.Signed {
        var body = ["ns1 A \(authority)", "root-ns A \(root)", "www A 192.0.2.8"]
        for child in children {
            body.append("\(child.origin) NS ns1.test.")
            body += child.dsLines
        }
        return try ZoneSigners.ldns("test.", ZoneText.zone("test.", body), algorithm: "RSASHA256", bits: 1024, in: directory).signed
    }

    /// knotd's configuration: `directory` for its run files and databases, `zoneDirectory` (by
    /// default the same) for the zone files.
    static func knotConfiguration(
        _ zones: [ZoneSigners.Signed], address: String, directory: String, zoneDirectory: String? = nil
    ) -> String {
        var text = """
            server:
                listen: \(address)@53
                rundir: "\(directory)"
            log:
              - target: stderr
                any: info
            database:
                storage: "\(directory)"
            policy:
              - id: ed25519
                algorithm: ed25519
                manual: on
                single-type-signing: on
            template:
              - id: default
                storage: "\(directory)"
                zonefile-sync: -1
                zonefile-load: whole
                journal-content: none
            zone:

            """
        for zone in zones {
            text += "  - domain: \"\(zone.origin)\"\n    file: \"\(zoneDirectory ?? directory)/\(zone.fileName)\"\n"
            if zone.knotSigns {
                text += "    dnssec-signing: on\n    dnssec-policy: \(zone.knotAlgorithm)\n"
            }
        }
        return text
    }

    static func unboundConfiguration(address: String, directory: String) -> String {
        """
        server:
            interface: \(address)
            port: 53
            do-ip6: no
            do-daemonize: no
            username: ""
            chroot: ""
            directory: "\(directory)"
            pidfile: "\(directory)/unbound.pid"
            use-syslog: no
            logfile: ""
            verbosity: 1
            module-config: "validator iterator"
            access-control: 127.0.0.0/8 allow
            root-hints: "\(directory)/root.hints"
            trust-anchor-file: "\(directory)/root-anchor.key"
            do-not-query-localhost: no
            local-zone: "test." nodefault
            ede: yes
            val-log-level: 2
        remote-control:
            control-enable: no

        """
    }
}
