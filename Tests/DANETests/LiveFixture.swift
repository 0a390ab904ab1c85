import Foundation
import TestSupport

/// Every live peer of the probe tests, started once per test process and shared by the tests:
/// `openssl s_server` (right and rogue certificates), fake SMTP servers (no STARTTLS, injection),
/// nginx (right and rogue), postfix, ngircd and prosody, then a signed `dane.test.` zone whose
/// TLSA records name their real ports, served by knotd and validated by unbound.
final class LiveFixture: @unchecked Sendable {
    let pki: TestPKI
    let good: OpenSSLServer
    let rogue: OpenSSLServer
    let noStartTLS: FakeSMTPServer
    let injecting: FakeSMTPServer
    let silent: FakeSMTPServer
    let injectingXMPP: FakeXMPPServer
    let nginx: NginxServer
    let rogueNginx: NginxServer
    let postfix: PostfixServer
    let ngircd: NgircdServer
    let prosody: ProsodyServer
    let dns: DANEHierarchy
    let dane: String
    private let scratch: TemporaryDirectory
    private let rogueScratch: TemporaryDirectory

    /// `--resolver ... --trust-ad`: unbound's AD bit.
    var trustAD: [String] { ["--resolver", dns.resolverAddress, "--trust-ad", "--dns-timeout", "2"] }
    /// `--trust-anchor`: in-process validation from the zone's key.
    var validating: [String] { ["--resolver", dns.resolverAddress, "--trust-anchor", dns.anchorFile, "--dns-timeout", "2"] }

    static let shared: Result<LiveFixture, any Error> = Result { try LiveFixture() }

    static func get() throws -> LiveFixture { try shared.get() }

    private init() throws {
        pki = try TestPKI(hostName: "good.dane.test")
        good = try OpenSSLServer(pki: pki)
        rogue = try OpenSSLServer(["-cert", pki.rogueCertificate, "-key", pki.rogueKey])
        scratch = try TemporaryDirectory(prefix: "danegate-h9-probe")
        rogueScratch = try TemporaryDirectory(prefix: "danegate-h9-rogue")
        noStartTLS = try FakeSMTPServer(mode: "nostarttls", folder: scratch)
        injecting = try FakeSMTPServer(mode: "inject", folder: scratch)
        silent = try FakeSMTPServer(mode: "silent", folder: scratch)
        injectingXMPP = try FakeXMPPServer(folder: scratch)
        nginx = try NginxServer(chain: pki.leafChain, key: pki.leafKey, serverName: "www.dane.test", folder: scratch)
        rogueNginx = try NginxServer(chain: pki.rogueCertificate, key: pki.rogueKey, serverName: "evil.dane.test", folder: rogueScratch)
        postfix = try PostfixServer(chain: pki.leafChain, key: pki.leafKey, hostName: "mail.dane.test")
        ngircd = try NgircdServer(chain: pki.leafChain, key: pki.leafKey)
        prosody = try ProsodyServer(chain: pki.leafChain, key: pki.leafKey, domains: ["dane.test", "bad.dane.test"])
        let leaf = try pki.spkiSHA256(pki.leafCertificate).map { String(format: "%02x", $0) }.joined()
        let intermediate = try pki.certificateSHA256(pki.intermediateCertificate).map { String(format: "%02x", $0) }.joined()
        let wrong = String(repeating: "ee", count: 32)
        let bogusData = String(repeating: "b0", count: 32)
        dns = try DANEHierarchy(records: [
            "good A 127.0.0.1",
            "_\(good.port)._tcp.good TLSA 3 1 1 \(leaf)",
            "_\(good.port)._tcp.good TLSA 3 1 1 \(wrong)",
            "ta A 127.0.0.1",
            "_\(good.port)._tcp.ta TLSA 2 0 1 \(intermediate)",
            "alias CNAME good",
            "rogue A 127.0.0.1",
            "_\(rogue.port)._tcp.rogue TLSA 3 1 1 \(leaf)",
            "none A 127.0.0.1",
            "bogus A 127.0.0.1",
            "_\(good.port)._tcp.bogus TLSA 3 1 1 \(bogusData)",
            "pkixonly A 127.0.0.1",
            "_25._tcp.pkixonly TLSA 1 1 1 \(leaf)",
            "nostarttls A 127.0.0.1",
            "_25._tcp.nostarttls TLSA 3 1 1 \(leaf)",
            "inject A 127.0.0.1",
            "_25._tcp.inject TLSA 3 1 1 \(leaf)",
            "www A 127.0.0.1",
            "_\(nginx.port)._tcp.www TLSA 3 1 1 \(leaf)",
            "evil A 127.0.0.1",
            "_\(rogueNginx.port)._tcp.evil TLSA 3 1 1 \(leaf)",
            "@ MX 10 mail",
            "mail A 127.0.0.1",
            "_25._tcp.mail TLSA 3 1 1 \(leaf)",
            "multi MX 10 mail",
            "multi MX 20 mailbad",
            "mailbad A 127.0.0.1",
            "_25._tcp.mailbad TLSA 3 1 1 \(wrong)",
            "irc A 127.0.0.1",
            "_\(ngircd.port)._tcp.irc TLSA 3 1 1 \(leaf)",
            "ircbad A 127.0.0.1",
            "_\(ngircd.port)._tcp.ircbad TLSA 3 1 1 \(wrong)",
            "_xmpp-client._tcp SRV 0 0 5222 xmpp",
            "xmpp A 127.0.0.1",
            "_5222._tcp.xmpp TLSA 3 1 1 \(leaf)",
            "_xmpp-client._tcp.bad SRV 0 0 5222 xmppbad",
            "xmppbad A 127.0.0.1",
            "_5222._tcp.xmppbad TLSA 3 1 1 \(wrong)",
        ], insecureRecords: [
            "@ MX 10 mail.dane.test.",
            "host A 127.0.0.1",
            "_\(good.port)._tcp.host TLSA 3 1 1 \(leaf)",
        ], secureRecords: [
            "www A 127.0.0.1",
            "_443._tcp.www TLSA 3 1 1 \(leaf)",
        ], tamper: [(bogusData, leaf)])
        dane = try builtProduct("dane")
        FixtureLifetime.atExit { [self] in stop() }
    }

    /// Kills every child by PID and removes the folders (the shared fixture outlives every
    /// test, so this runs when the test process exits).
    func stop() {
        for peer in [good.peer, rogue.peer, noStartTLS.peer, injecting.peer, silent.peer, injectingXMPP.peer, nginx.peer, rogueNginx.peer, ngircd.peer, prosody.peer] {
            peer.kill()
        }
        postfix.stop()
        dns.stop()
        for folder in [scratch, rogueScratch, pki.folder, postfix.folder, ngircd.folder, prosody.folder, dns.folder] {
            try? FileManager.default.removeItem(atPath: folder.path)
        }
    }

    /// Runs `dane ARGUMENTS --json` and decodes its output.
    func run(_ arguments: [String]) throws -> DaneRun {
        let result = try TestSupport.run(dane, arguments + ["--json"])
        let object = (try? JSONSerialization.jsonObject(with: result.stdoutData)) as? [String: Any] ?? [:]
        return DaneRun(status: result.status, json: object, text: result.stdout + result.stderr)
    }

    /// ldns-dane's verdict (AD mode, against the same resolver) on a direct-TLS host.
    func ldnsDanePasses(_ host: String, port: UInt16) throws -> Bool {
        try ldnsDane(host, port: port).status == 0
    }

    /// ldns-dane run on a direct-TLS host (AD mode, against the same resolver); `-n` (the
    /// default here) skips the name check of DANE-EE matches, as `dane` does.
    func ldnsDane(_ host: String, port: UInt16, checkNames: Bool = false) throws -> CommandResult {
        try TestSupport.run(
            "ldns-dane", ["-r", dns.resolverAddress] + (checkNames ? [] : ["-n"]) + ["verify", host, "\(port)"],
            input: Data(), package: "ldnsutils")
    }
}

/// One `dane` run: exit status, decoded JSON, and the output for messages.
struct DaneRun {
    let status: Int32
    let json: [String: Any]
    let text: String

    var reason: String? { json["reason"] as? String }
    var firstHost: [String: Any] { (json["hosts"] as? [[String: Any]])?.first ?? [:] }
}

/// Work to do when the test process exits: a shared fixture has no end of its own, so its
/// children are killed by PID from an atexit handler.
enum FixtureLifetime {
    nonisolated(unsafe) private static var actions: [() -> Void] = []
    private static let lock = NSLock()
    private static let registered: Bool = {
        atexit { FixtureLifetime.runActions() }
        return true
    }()

    static func atExit(_ action: @escaping () -> Void) {
        _ = registered
        lock.withLock { actions.append(action) }
    }

    private static func runActions() {
        let pending = lock.withLock { () -> [() -> Void] in
            let all = actions
            actions = []
            return all
        }
        for action in pending { action() }
    }
}
