import DANE
import Foundation
import Gateway
import Testing
import TestSupport

/// Real clients through the gateway to real servers, with TLSA from a signed zone on loopback:
/// curl to nginx (HTTP, Host rewritten), an IRC client to ngircd (direct TLS), an XMPP client
/// to prosody through `srv:*` (STARTTLS upstream, SNI the service domain).
@Suite(.serialized) struct EndToEndTests {
    @Test func curlFetches100MiBFromNginxWithAMatchingDigest() async throws {
        try await offThePool {
            let fixture = try EndToEndFixture.get()
            let running = try RunningGateway(
                [
                    try testService("web", .https, .host("www.dane.test", port: fixture.nginx.port)),
                    try testService("web-evil", .https, .host("evil.dane.test", port: fixture.nginx.port)),
                ], dns: fixture.dns)
            let port = running.port("web")
            let output = fixture.scratch.file("download.bin")
            let fetched = try run(
                "curl", ["-sS", "--fail", "-o", output, "http://127.0.0.1:\(port)/big.bin"], timeout: 300)
            #expect(fetched.status == 0, "\(fetched.stderr) \(running.collector.reports.map(\.detail))")
            #expect(try EndToEndFixture.sha256(of: output) == fixture.bigFileDigest)
            try? FileManager.default.removeItem(atPath: output)
            // The Host header nginx saw is the target host, not the gateway's address, on every
            // request of a keep-alive connection (curl reuses it for the second URL).
            let host = try run("curl", ["-sS", "http://127.0.0.1:\(port)/host", "http://127.0.0.1:\(port)/host"])
            #expect(host.stdout == "host=www.dane.test\nhost=www.dane.test\n", "\(host.stdout)")
            let reports = try running.collector.wait(for: "web", count: 2)
            let audits = reports.map(\.audit)
            #expect(audits.allSatisfy { $0.verdict == .verified }, "\(reports.map(\.detail))")
            #expect(audits.contains { $0.bytesDown > 100 << 20 })
            // A rogue certificate: 502 with the reason in the body.
            let refused = try run("curl", ["-sS", "-w", "\n%{http_code}", "http://127.0.0.1:\(running.port("web-evil"))/big.bin"])
            #expect(refused.stdout.hasSuffix("\n502"), "\(refused.stdout)")
            #expect(refused.stdout.contains("dane-no-match"))
            #expect(try running.collector.wait(for: "web-evil")[0].audit.reason == .dane(.daneNoMatch))
            // A request the rewriter cannot frame ends the connection; DANE's verdict stands.
            let before = running.collector.reports.filter { $0.audit.service == "web" }.count
            let bad = try BlockingSocket(connectingTo: port)
            bad.send(Array("GET / HTTP/1.1\r\nContent-Length: ten\r\n\r\n".utf8))
            #expect(receive(bad).isEmpty)
            let framing = try running.collector.wait(for: "web", count: before + 1)[before]
            #expect(framing.audit.verdict == .verified)
            #expect(framing.detail.contains("HTTP request: bad Content-Length"), "\(framing.detail)")
            #expect(framing.audit.bytesUp == 0)
        }
    }

    @Test func ircClientJoinsAChannelOnNgircd() async throws {
        try await offThePool {
            let fixture = try EndToEndFixture.get()
            let running = try RunningGateway(
                [try testService("irc", .irc, .host("irc.dane.test", port: fixture.ngircd.port))], dns: fixture.dns)
            try fixture.scratch.write("irc-client.py", ircClientScript)
            let result = try run(
                "python3",
                [fixture.scratch.file("irc-client.py"), "127.0.0.1", "\(running.port("irc"))", "gwtester", "#danegate"],
                package: "python3")
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("JOINED #danegate"))
            let report = try running.collector.wait(for: "irc")[0]
            let audit = report.audit
            #expect(audit.verdict == .verified, "\(report.detail)")
            #expect(audit.protocol == "irc")
        }
    }

    @Test func xmppClientLogsInAndSendsAMessageThroughSRV() async throws {
        try await offThePool {
            let fixture = try EndToEndFixture.get()
            let running = try RunningGateway([try testService("xmpp", .xmpp, .srvFromClient)], dns: fixture.dns)
            try fixture.scratch.write("xmpp-client.py", xmppClientScript)
            let script = fixture.scratch.file("xmpp-client.py")
            let port = "\(running.port("xmpp"))"
            let result = try run(
                "python3", [script, "127.0.0.1", port, "dane.test", "alice", "wonderland", "hello through danegate"],
                package: "python3")
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("BOUND alice@dane.test/"))
            #expect(result.stdout.contains("<body>hello through danegate</body>"))
            let report = try running.collector.wait(for: "xmpp")[0]
            let audit = report.audit
            #expect(audit.verdict == .verified, "\(report.detail)")
            #expect(audit.target == "xmpp.dane.test:\(fixture.prosody.port)")
            #expect(audit.tlsaName == "_\(fixture.prosody.port)._tcp.xmpp.dane.test.")
            #expect(audit.tls?.sni == "dane.test")
            // A domain whose SRV target's certificate does not match: a stream error.
            let refused = try run(
                "python3", [script, "127.0.0.1", port, "bad.dane.test", "alice", "wonderland", "never sent"],
                package: "python3")
            #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
            #expect(refused.stdout.contains("<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"))
            #expect(refused.stdout.contains(">dane-no-match</text>"))
            let refusal = try running.collector.wait(for: "xmpp", count: 2)[1].audit
            #expect(refusal.verdict == .refused && refusal.reason == .dane(.daneNoMatch))
        }
    }
}

/// swaks through the gateway to postfix: STARTTLS upstream, the greeting held, the client's
/// own EHLO inside TLS, and the message delivered byte for byte (attachment SHA-256).
@Suite(.serialized) struct MailEndToEndTests {
    private func sendMail(
        through port: UInt16, fixture: EndToEndFixture, attachment: String, subject: String
    ) throws -> CommandResult {
        try run(
            "swaks",
            ["--server", "127.0.0.1:\(port)", "--ehlo", "client.test", "--from", "bob@client.test",
             "--to", "alice@dane.test", "--header", "Subject: \(subject)", "--attach-type", "application/octet-stream",
             "--attach", attachment],
            package: "swaks", timeout: 120)
    }

    /// Waits (polling) for a delivered message whose text contains `subject`.
    private func delivered(_ subject: String, fixture: EndToEndFixture) throws -> String {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            for path in fixture.postfix.deliveredMessages() {
                if let text = try? String(contentsOfFile: path, encoding: .utf8), text.contains(subject) { return path }
            }
            usleep(100_000)
        }
        throw TestSupportError(.timedOut, "no delivery of '\(subject)' within 120 s")
    }

    @Test(arguments: ["host", "mx"])
    func swaksDeliversToPostfixByteForByte(route: String) async throws {
        try await offThePool {
            let fixture = try EndToEndFixture.get()
            let connect: ConnectTarget =
                route == "mx"
                ? .mx(domain: "dane.test", port: fixture.postfix.port) : .host("mail.dane.test", port: fixture.postfix.port)
            let running = try RunningGateway([try testService("mail", .smtp, connect)], dns: fixture.dns)
            let attachment = fixture.scratch.file("attachment-\(route).bin")
            try run("dd", ["if=/dev/urandom", "of=\(attachment)", "bs=1k", "count=300", "status=none"]).check("dd")
            let subject = "through danegate via \(route) \(UInt32.random(in: 0...UInt32.max))"
            let sent = try sendMail(through: running.port("mail"), fixture: fixture, attachment: attachment, subject: subject)
            #expect(sent.status == 0, "\(sent.stdout)\(sent.stderr)")
            // The greeting came from postfix, after verification; no STARTTLS offered inside TLS.
            #expect(sent.stdout.contains("<-  220 mail.dane.test ESMTP"), "\(sent.stdout)")
            #expect(!sent.stdout.contains("STARTTLS"))
            let message = try delivered(subject, fixture: fixture)
            try fixture.scratch.write("attachment-digest.py", attachmentDigestScript)
            let digests = try run("python3", [fixture.scratch.file("attachment-digest.py"), message], package: "python3")
                .check("attachment digest")
            #expect(digests.stdout.contains(try EndToEndFixture.sha256(of: attachment)), "\(digests.stdout)")
            let audit = try running.collector.wait(for: "mail")[0].audit
            #expect(audit.verdict == .verified)
            #expect(audit.target == "mail.dane.test:\(fixture.postfix.port)")
            #expect(audit.tlsaName == "_\(fixture.postfix.port)._tcp.mail.dane.test.")
            #expect(audit.bytesUp > 300 * 1024)
        }
    }

    @Test func nextMXHostAfterANoMatch() async throws {
        try await offThePool {
            let fixture = try EndToEndFixture.get()
            let running = try RunningGateway(
                [try testService("mail-multi", .smtp, .mx(domain: "multi.dane.test", port: fixture.postfix.port))],
                dns: fixture.dns)
            let client = try BlockingSocket(connectingTo: running.port("mail-multi"))
            let greeting = text(receive(client) { text($0).hasSuffix("\r\n") })
            #expect(greeting.hasPrefix("220 mail.dane.test"), "\(greeting)")
            client.send(Array("QUIT\r\n".utf8))
            #expect(text(receive(client)).hasPrefix("221 "))
            client.shutdownWrite()
            let report = try running.collector.wait(for: "mail-multi")[0]
            #expect(report.audit.verdict == .verified)
            #expect(report.audit.target == "mail.dane.test:\(fixture.postfix.port)")
            // Which host was used and why the one before it was not.
            #expect(report.attempts.map(\.report.host) == ["mailbad.dane.test", "mail.dane.test"])
            #expect(report.attempts.first?.verdict == .refused(.daneNoMatch))
            // The log line says so too: the host used, and the one tried before with its reason.
            let metadata = ConnectionLog.metadata(for: report)
            let before = "mailbad.dane.test[127.0.0.1]:\(fixture.postfix.port) dane-no-match"
            #expect(metadata[ConnectionLog.triedBeforeKey] == .string(before), "\(metadata)")
            let line = PostfixLogHandler.line(
                level: ConnectionLog.level(for: report.audit), message: ConnectionLog.message(for: report.audit),
                metadata: metadata, time: "T")
            #expect(line.contains("Verified TLS connection established to mail.dane.test[127.0.0.1]:\(fixture.postfix.port)"), "\(line)")
            #expect(line.hasSuffix(" tried-before=\(before)\n"), "\(line)")
        }
    }
}
