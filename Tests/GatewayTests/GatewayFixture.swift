import Foundation
import TestSupport

/// The peers of the gateway tests, started once per test process: TLS servers with the right
/// and a rogue certificate, raw capture upstreams, fake SMTP servers (no STARTTLS, injection),
/// and a signed `dane.test.` zone (knotd + validating unbound) whose TLSA records name their
/// real ports.
final class GatewayFixture: @unchecked Sendable {
    let pki: TestPKI
    let good: OpenSSLServer
    let rogue: OpenSSLServer
    let captureSMTP: CaptureServer
    let silent: CaptureServer
    let noStartTLS: FakeSMTPServer
    let injecting: FakeSMTPServer
    let injectingXMPP: FakeXMPPServer
    let strippingXMPP: FakeXMPPServer
    let echo: TLSEchoServer
    /// An s_server that one test kills mid-stream.
    let victim: OpenSSLServer
    let dns: DANEHierarchy
    private let scratch: TemporaryDirectory

    static let shared: Result<GatewayFixture, any Error> = Result { try GatewayFixture() }

    static func get() throws -> GatewayFixture { try shared.get() }

    private init() throws {
        pki = try TestPKI(hostName: "good.dane.test")
        good = try OpenSSLServer(pki: pki)
        rogue = try OpenSSLServer(["-cert", pki.rogueCertificate, "-key", pki.rogueKey])
        captureSMTP = try CaptureServer(mode: .smtpStartTLS)
        silent = try CaptureServer(mode: .silent)
        scratch = try TemporaryDirectory(prefix: "danegate-gw-peers")
        noStartTLS = try FakeSMTPServer(mode: "nostarttls", folder: scratch)
        injecting = try FakeSMTPServer(mode: "inject", folder: scratch)
        injectingXMPP = try FakeXMPPServer(folder: scratch)
        strippingXMPP = try FakeXMPPServer(mode: "nostarttls", folder: scratch)
        echo = try TLSEchoServer(chain: pki.leafChain, key: pki.leafKey)
        victim = try OpenSSLServer(pki: pki)
        let leaf = try pki.spkiSHA256(pki.leafCertificate).map { String(format: "%02x", $0) }.joined()
        let bogusData = String(repeating: "b0", count: 32)
        let records = [
            "good A 127.0.0.1",
            "_\(good.port)._tcp.good TLSA 3 1 1 \(leaf)",
            "rogue A 127.0.0.1",
            "_\(rogue.port)._tcp.rogue TLSA 3 1 1 \(leaf)",
            "none A 127.0.0.1",
            "bogus A 127.0.0.1",
            "_\(captureSMTP.port)._tcp.bogus TLSA 3 1 1 \(bogusData)",
            "capture A 127.0.0.1",
            "_\(captureSMTP.port)._tcp.capture TLSA 3 1 1 \(leaf)",
            "silent A 127.0.0.1",
            "_\(silent.port)._tcp.silent TLSA 3 1 1 \(leaf)",
            "nostarttls A 127.0.0.1",
            "_\(noStartTLS.port)._tcp.nostarttls TLSA 3 1 1 \(leaf)",
            "inject A 127.0.0.1",
            "_\(injecting.port)._tcp.inject TLSA 3 1 1 \(leaf)",
            // A dead IPv6 address first (nothing listens on ::1 at that port), then IPv4.
            "dual AAAA ::1",
            "dual A 127.0.0.1",
            "_\(good.port)._tcp.dual TLSA 3 1 1 \(leaf)",
            "_xmpp-client._tcp.xinject SRV 0 0 \(injectingXMPP.port) xmpphost",
            "xmpphost A 127.0.0.1",
            "_\(injectingXMPP.port)._tcp.xmpphost TLSA 3 1 1 \(leaf)",
            "_xmpp-client._tcp.xstrip SRV 0 0 \(strippingXMPP.port) xmppstrip",
            "xmppstrip A 127.0.0.1",
            "_\(strippingXMPP.port)._tcp.xmppstrip TLSA 3 1 1 \(leaf)",
            "echo A 127.0.0.1",
            "_\(echo.port)._tcp.echo TLSA 3 1 1 \(leaf)",
            // The same echo server under a second name: a reload switches a service to it.
            "echo2 A 127.0.0.1",
            "_\(echo.port)._tcp.echo2 TLSA 3 1 1 \(leaf)",
            // The TLSA name sits under a delegation to a server that does not answer: its
            // lookup can only time out.
            "lame A 127.0.0.1",
            "_tcp.lame NS deadns",
            "deadns A 127.255.254.53",
            "victim A 127.0.0.1",
            "_\(victim.port)._tcp.victim TLSA 3 1 1 \(leaf)",
        ]
        dns = try DANEHierarchy(
            records: records,
            insecureRecords: ["host A 127.0.0.1", "_\(good.port)._tcp.host TLSA 3 1 1 \(leaf)"],
            tamper: [(bogusData, leaf)])
        FixtureLifetime.atExit { [self] in stop() }
    }

    func stop() {
        for peer in [good.peer, rogue.peer, noStartTLS.peer, injecting.peer, injectingXMPP.peer, strippingXMPP.peer, victim.peer] { peer.kill() }
        dns.stop()
        for folder in [scratch, pki.folder, dns.folder] {
            try? FileManager.default.removeItem(atPath: folder.path)
        }
    }
}
