import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A signed zone `dane.test.` on loopback for the live probe tests: signed by ldns-signzone
/// with a key of the test's own (the trust anchor), served by knotd on 127.54.X.1:53, and
/// resolved by a validating unbound on 127.54.X.2:53 (a stub zone with that anchor), whose AD
/// bit `dane --trust-ad` trusts. Port 53 lets ldns-dane (`-r ADDR`) ask the same resolver.
final class DANEHierarchy {
    let folder: TemporaryDirectory
    let authorityAddress: String
    let resolverAddress: String
    /// The zone's KSK as a DNSKEY line (a trust anchor file).
    let anchorFile: String
    private var knot: PeerProcess?
    private var unbound: PeerProcess?

    /// Signs `records` (zone-file lines relative to `dane.test.`) and starts both servers.
    /// `insecureRecords` go into `insecure.dane.test.`, an unsigned child delegated without a
    /// DS (an insecure delegation); `secureRecords` into `sec.dane.test.`, a child signed with a
    /// key of its own and delegated with a DS. Each pair in `tamper` replaces a hex string in
    /// the signed zone after signing, so the RRset it is in fails validation (bogus).
    init(records: [String], insecureRecords: [String] = [], secureRecords: [String] = [], tamper: [(String, String)] = []) throws {
        for (program, package) in [
            ("knotd", "knot"), ("unbound", "unbound"), ("ldns-signzone", "ldnsutils"), ("ldns-keygen", "ldnsutils"),
            ("ldns-key2ds", "ldnsutils"),
        ] {
            _ = try requireProgram(program, package: package)
        }
        folder = try TemporaryDirectory(prefix: "danegate-h9-dns")
        let base = try LoopbackAddresses.freeBase(network: 54, hosts: 2)
        authorityAddress = base + ".1"
        resolverAddress = base + ".2"

        let keyBase = try run("ldns-keygen", ["-a", "ECDSAP256SHA256", "-k", "dane.test"], currentDirectory: folder.path, package: "ldnsutils")
            .check("ldns-keygen").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        anchorFile = folder.file("\(keyBase).key")
        // The signed child first: its DS goes into the parent before the parent is signed.
        let childKey = try run("ldns-keygen", ["-a", "ECDSAP256SHA256", "-k", "sec.dane.test"], currentDirectory: folder.path, package: "ldnsutils")
            .check("ldns-keygen").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try folder.write("sec.zone", ([
            "$ORIGIN sec.dane.test.", "$TTL 300",
            "@ SOA ns1.dane.test. hostmaster.dane.test. 1 3600 600 86400 300", "@ NS ns1.dane.test.",
        ] + secureRecords).joined(separator: "\n") + "\n")
        try run("ldns-signzone", ["-o", "sec.dane.test.", "sec.zone", childKey], currentDirectory: folder.path, package: "ldnsutils")
            .check("ldns-signzone")
        let dsFile = try run("ldns-key2ds", ["-n", "-2", folder.file("\(childKey).key")], currentDirectory: folder.path, package: "ldnsutils")
            .check("ldns-key2ds").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let zone = [
            "$ORIGIN dane.test.", "$TTL 300",
            "@ SOA ns1 hostmaster 1 3600 600 86400 300", "@ NS ns1", "ns1 A \(authorityAddress)",
            "insecure NS ns1", "sec NS ns1", dsFile,
        ] + records
        try folder.write("dane.test.zone", zone.joined(separator: "\n") + "\n")
        try run("ldns-signzone", ["-o", "dane.test.", "dane.test.zone", keyBase], currentDirectory: folder.path, package: "ldnsutils")
            .check("ldns-signzone")
        var signed = try String(contentsOfFile: folder.file("dane.test.zone.signed"), encoding: .utf8)
        for (original, replacement) in tamper {
            signed = signed.replacingOccurrences(of: original, with: replacement)
        }
        try folder.write("dane.test.zone.signed", signed)
        try folder.write("insecure.zone", ([
            "$ORIGIN insecure.dane.test.", "$TTL 300",
            "@ SOA ns1.dane.test. hostmaster.dane.test. 1 3600 600 86400 300", "@ NS ns1.dane.test.",
        ] + insecureRecords).joined(separator: "\n") + "\n")

        try folder.write("knot.conf", """
            server:
                listen: \(authorityAddress)@53
                rundir: "\(folder.path)"
            log:
              - target: stderr
                any: info
            database:
                storage: "\(folder.path)"
            template:
              - id: default
                storage: "\(folder.path)"
                zonefile-sync: -1
                zonefile-load: whole
                journal-content: none
            zone:
              - domain: "dane.test."
                file: "dane.test.zone.signed"
              - domain: "insecure.dane.test."
                file: "insecure.zone"
              - domain: "sec.dane.test."
                file: "sec.zone.signed"

            """)
        let knot = try PeerProcess("knotd", ["-c", folder.file("knot.conf")], package: "knot", currentDirectory: folder.path)
        self.knot = knot
        try knot.waitForLine(containing: "server started", timeout: 20)

        try folder.write("unbound.conf", """
            server:
                interface: \(resolverAddress)
                port: 53
                do-ip6: no
                do-daemonize: no
                username: ""
                chroot: ""
                directory: "\(folder.path)"
                pidfile: "\(folder.path)/unbound.pid"
                use-syslog: no
                logfile: ""
                verbosity: 1
                module-config: "validator iterator"
                access-control: 127.0.0.0/8 allow
                trust-anchor-file: "\(anchorFile)"
                do-not-query-localhost: no
                local-zone: "test." nodefault
                ede: yes
            stub-zone:
                name: "dane.test."
                stub-addr: \(authorityAddress)@53
            remote-control:
                control-enable: no

            """)
        let unbound = try PeerProcess("unbound", ["-d", "-c", folder.file("unbound.conf")], package: "unbound", currentDirectory: folder.path)
        self.unbound = unbound
        try unbound.waitForLine(containing: "start of service", timeout: 20)
    }

    deinit {
        stop()
    }

    /// Kills both servers by PID.
    func stop() {
        unbound?.kill()
        knot?.kill()
    }

}
