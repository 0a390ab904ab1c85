import Foundation
import Testing
import TestSupport

/// The whole stack of this project, with no other DNS software: `danezone` signs and serves a
/// zone with TLSA records, and `dane` validates its answers in process from the zone's own key
/// (no recursive resolver) and probes `openssl s_server` with the right and a rogue
/// certificate. The same flow suits scripts/demo.
@Suite struct DanezoneProbeTests {
    @Test func danezoneHierarchyVerifiesRightAndRefusesRogue() throws {
        let pki = try TestPKI(hostName: "good.demo.test")
        let good = try OpenSSLServer(pki: pki)
        let rogue = try OpenSSLServer(["-cert", pki.rogueCertificate, "-key", pki.rogueKey])
        let folder = try TemporaryDirectory(prefix: "danegate-h9-danezone")
        let danezone = try builtProduct("danezone")
        let dane = try builtProduct("dane")

        let keygen = try run(danezone, ["keygen", "--ksk", "--dir", folder.path, "demo.test"]).check("danezone keygen")
        let stem = keygen.stdout.split(separator: "\n").last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        let keyFile = folder.file(URL(fileURLWithPath: stem).lastPathComponent + ".key")
        #expect(FileManager.default.fileExists(atPath: keyFile), "keygen printed \(keygen.stdout)")
        let leaf = try pki.spkiSHA256(pki.leafCertificate).map { String(format: "%02x", $0) }.joined()
        try folder.write("demo.zone", """
            $ORIGIN demo.test.
            $TTL 300
            @ SOA ns1 hostmaster 1 3600 600 86400 300
            @ NS ns1
            ns1 A 127.0.0.1
            good A 127.0.0.1
            _\(good.port)._tcp.good TLSA 3 1 1 \(leaf)
            rogue A 127.0.0.1
            _\(rogue.port)._tcp.rogue TLSA 3 1 1 \(leaf)

            """)
        try run(danezone, ["sign", "--zone", folder.file("demo.zone"), "--key", String(keyFile.dropLast(4))]).check("danezone sign")
        let server = try PeerProcess(danezone, ["serve", "--zone", folder.file("demo.zone.signed"), "--listen", "127.0.0.1:0", "--threads", "1"])
        defer { server.kill() }
        let groups = try server.waitForMatch(#"LISTEN udp (127\.0\.0\.1:\d+)"#)
        let address = try #require(groups.count == 2 ? groups[1] : nil)
        let dns = ["--resolver", address, "--trust-anchor", keyFile, "--dns-timeout", "2"]

        let verified = try run(dane, ["probe", "tls", "good.demo.test", "--port", "\(good.port)"] + dns)
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        #expect(verified.stdout.contains("VERIFIED") && verified.stdout.contains("MATCH depth 0"))
        let refused = try run(dane, ["probe", "tls", "rogue.demo.test", "--port", "\(rogue.port)"] + dns)
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stdout.contains("dane-no-match"))
    }
}
