import Foundation
import TestSupport

/// Real servers behind the gateway, started once per test process when an end-to-end test
/// first needs them: nginx with a 100 MiB file, ngircd (direct TLS), prosody (STARTTLS) with
/// a user, and a signed `dane.test.` zone whose TLSA and SRV records name their real ports.
final class EndToEndFixture: @unchecked Sendable {
    let pki: TestPKI
    let nginx: StaticNginx
    let ngircd: NgircdServer
    let prosody: ProsodyServer
    let postfix: DeliveringPostfix
    let dns: DANEHierarchy
    let scratch: TemporaryDirectory
    /// The 100 MiB file nginx serves as /big.bin, and its SHA-256.
    let bigFileDigest: String

    static let shared: Result<EndToEndFixture, any Error> = Result { try EndToEndFixture() }

    static func get() throws -> EndToEndFixture { try shared.get() }

    private init() throws {
        pki = try TestPKI(hostName: "www.dane.test")
        scratch = try TemporaryDirectory(prefix: "danegate-gw-e2e")
        nginx = try StaticNginx(chain: pki.leafChain, key: pki.leafKey, folder: scratch)
        let big = nginx.root + "/big.bin"
        try run("dd", ["if=/dev/urandom", "of=\(big)", "bs=1M", "count=100", "status=none"]).check("dd")
        bigFileDigest = try Self.sha256(of: big)
        ngircd = try NgircdServer(chain: pki.leafChain, key: pki.leafKey)
        prosody = try ProsodyServer(chain: pki.leafChain, key: pki.leafKey, domains: ["dane.test", "bad.dane.test"])
        try run(
            "setpriv",
            ["--reuid=prosody", "--regid=prosody", "--init-groups", "prosodyctl", "--config",
             prosody.folder.file("prosody.cfg.lua"), "register", "alice", "dane.test", "wonderland"],
            package: "util-linux"
        ).check("prosodyctl register")
        postfix = try DeliveringPostfix(chain: pki.leafChain, key: pki.leafKey, hostName: "mail.dane.test")
        let leaf = try pki.spkiSHA256(pki.leafCertificate).map { String(format: "%02x", $0) }.joined()
        let wrong = String(repeating: "ee", count: 32)
        // Signed as is, then replaced by the right digest after signing: the RRsets are bogus.
        let bogus = String(repeating: "b0", count: 32)
        dns = try DANEHierarchy(records: [
            "www A 127.0.0.1",
            "_\(nginx.port)._tcp.www TLSA 3 1 1 \(leaf)",
            "evil A 127.0.0.1",
            "_\(nginx.port)._tcp.evil TLSA 3 1 1 \(wrong)",
            "irc A 127.0.0.1",
            "_\(ngircd.port)._tcp.irc TLSA 3 1 1 \(leaf)",
            "_xmpp-client._tcp SRV 0 0 \(prosody.port) xmpp",
            "xmpp A 127.0.0.1",
            "_\(prosody.port)._tcp.xmpp TLSA 3 1 1 \(leaf)",
            "_xmpp-client._tcp.bad SRV 0 0 \(prosody.port) xmppbad",
            "xmppbad A 127.0.0.1",
            "_\(prosody.port)._tcp.xmppbad TLSA 3 1 1 \(wrong)",
            "@ MX 10 mail",
            "mail A 127.0.0.1",
            "_\(postfix.port)._tcp.mail TLSA 3 1 1 \(leaf)",
            // The preferred MX host presents a certificate its TLSA does not match: the next one.
            "multi MX 10 mailbad",
            "multi MX 20 mail",
            "mailbad A 127.0.0.1",
            "_\(postfix.port)._tcp.mailbad TLSA 3 1 1 \(wrong)",
            // The refusal matrix (RefusalMatrixTests): a wrong TLSA per peer, bogus TLSA per
            // peer, and SRV into the insecure child zone.
            "ircbad A 127.0.0.1",
            "_\(ngircd.port)._tcp.ircbad TLSA 3 1 1 \(wrong)",
            "mailbogus A 127.0.0.1",
            "_\(postfix.port)._tcp.mailbogus TLSA 3 1 1 \(bogus)",
            "ircbogus A 127.0.0.1",
            "_\(ngircd.port)._tcp.ircbogus TLSA 3 1 1 \(bogus)",
            "wwwbogus A 127.0.0.1",
            "_\(nginx.port)._tcp.wwwbogus TLSA 3 1 1 \(bogus)",
            "_xmpp-client._tcp.xbogus SRV 0 0 \(prosody.port) xmppbogus",
            "xmppbogus A 127.0.0.1",
            "_\(prosody.port)._tcp.xmppbogus TLSA 3 1 1 \(bogus)",
            "_xmpp-client._tcp.xinsecure SRV 0 0 \(prosody.port) xmpp.insecure.dane.test.",
        ], insecureRecords: [
            "mail A 127.0.0.1",
            "_\(postfix.port)._tcp.mail TLSA 3 1 1 \(leaf)",
            "irc A 127.0.0.1",
            "_\(ngircd.port)._tcp.irc TLSA 3 1 1 \(leaf)",
            "www A 127.0.0.1",
            "_\(nginx.port)._tcp.www TLSA 3 1 1 \(leaf)",
            "xmpp A 127.0.0.1",
            "_\(prosody.port)._tcp.xmpp TLSA 3 1 1 \(leaf)",
        ], tamper: [(bogus, leaf)])
        FixtureLifetime.atExit { [self] in stop() }
    }

    func stop() {
        for peer in [nginx.peer, ngircd.peer, prosody.peer] { peer.kill() }
        postfix.stop()
        dns.stop()
        for folder in [scratch, pki.folder, ngircd.folder, prosody.folder, postfix.folder, dns.folder] {
            try? FileManager.default.removeItem(atPath: folder.path)
        }
    }

    static func sha256(of path: String) throws -> String {
        let result = try run("sha256sum", [path]).check("sha256sum")
        return String(result.stdout.prefix(64))
    }
}
