import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// `danegate --config FILE` through the built binary: a configuration file written by the test,
/// the LISTEN lines, a verified and a refused connection, the Postfix-style stderr lines, the
/// audit log (19 keys a line) reopened on SIGUSR1 after a rename, and `danegate audit` over it.
@Suite(.serialized) struct DanegateBinaryTests {
    static let auditKeys: Set<String> = [
        "time", "id", "service", "client", "protocol", "target", "address", "tlsaName", "dnssec", "tlsa", "tls",
        "certificate", "match", "verdict", "reason", "tlsrpt", "bytesUp", "bytesDown", "durationMs",
    ]

    /// The JSON objects of an audit log, once it holds `count` lines (polling).
    private func auditLines(_ path: String, count: Int, timeout: TimeInterval = 20) throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let data = FileManager.default.contents(atPath: path) {
                let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
                if lines.count >= count {
                    return try lines.map { line in
                        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
                        return try #require(object as? [String: Any], "not an object: \(line)")
                    }
                }
            }
            usleep(20_000)
        }
        throw TestSupportError(.timedOut, "\(path) did not reach \(count) lines within \(timeout) s")
    }

    @Test func runsFromAConfigFileLogsAuditsAndReopensOnSIGUSR1() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let folder = try TemporaryDirectory(prefix: "danegate-binary")
            defer { try? FileManager.default.removeItem(atPath: folder.path) }
            let auditPath = folder.file("audit.log")
            let config = try folder.write("gateway.conf", """
                ; written by DanegateBinaryTests
                resolver = \(fixture.dns.resolverAddress)
                dnssec = trust-ad
                audit-log = \(auditPath)
                log-level = info

                [echo]
                accept = 127.0.0.1:0
                connect = echo.dane.test:\(fixture.echo.port)
                protocol = tls

                [rogue]
                accept = 127.0.0.1:0
                connect = rogue.dane.test:\(fixture.rogue.port)
                protocol = tls

                """)
            let gateway = try PeerProcess(try builtProduct("danegate"), ["--config", config])
            defer { gateway.kill() }
            let echoPort = try #require(UInt16(try gateway.waitForMatch(#"^LISTEN echo 127\.0\.0\.1:(\d+)$"#, in: .stdout)[1]))
            let roguePort = try #require(UInt16(try gateway.waitForMatch(#"^LISTEN rogue 127\.0\.0\.1:(\d+)$"#, in: .stdout)[1]))

            // A verified connection: the bytes come back through the echo server.
            let client = try BlockingSocket(connectingTo: echoPort)
            client.send(Array("through the binary\n".utf8))
            #expect(text(receive(client) { text($0).contains("through the binary\n") }) == "through the binary\n")
            client.shutdownWrite()
            _ = receive(client)
            let verified = try gateway.waitForLine(containing: "Verified TLS connection established to", in: .stderr, timeout: 20)
            #expect(verified.contains("echo.dane.test[127.0.0.1]:\(fixture.echo.port): TLSv1.3 with cipher "), "\(verified)")
            #expect(verified.contains("TLSA 3 1 1 matched at depth 0"), "\(verified)")
            let first = try auditLines(auditPath, count: 1)
            #expect(first.count == 1)
            #expect(Set(first[0].keys) == Self.auditKeys)
            #expect(first[0]["service"] as? String == "echo")
            #expect(first[0]["verdict"] as? String == "verified")
            #expect(first[0]["target"] as? String == "echo.dane.test:\(fixture.echo.port)")
            #expect(first[0]["bytesUp"] as? Int == "through the binary\n".utf8.count)

            // logrotate: move the log away, SIGUSR1, and the next record goes to a new file.
            let rotated = folder.file("audit.log.1")
            try FileManager.default.moveItem(atPath: auditPath, toPath: rotated)
            #expect(kill(gateway.pid, SIGUSR1) == 0)
            let deadline = Date().addingTimeInterval(10)
            while !FileManager.default.fileExists(atPath: auditPath) && Date() < deadline { usleep(10_000) }
            #expect(FileManager.default.fileExists(atPath: auditPath), "SIGUSR1 did not reopen \(auditPath)")

            // A refused connection: a plain close for protocol = tls; the certificate is named.
            let refused = try BlockingSocket(connectingTo: roguePort)
            refused.send(Array("never for the rogue\n".utf8))
            #expect(receive(refused).isEmpty)
            let untrusted = try gateway.waitForLine(containing: "refused: dane-no-match", in: .stderr, timeout: 20)
            #expect(untrusted.contains("Untrusted TLS connection to rogue.dane.test[127.0.0.1]:\(fixture.rogue.port)"), "\(untrusted)")
            let second = try auditLines(auditPath, count: 1)
            #expect(second.count == 1)
            #expect(Set(second[0].keys) == Self.auditKeys)
            #expect(second[0]["service"] as? String == "rogue")
            #expect(second[0]["verdict"] as? String == "refused")
            #expect(second[0]["reason"] as? String == "dane-no-match")
            #expect(second[0]["tlsrpt"] as? String == "validation-failure")
            let rogueDigest = try fixture.pki.certificateSHA256(fixture.pki.rogueCertificate).map { String(format: "%02x", $0) }.joined()
            #expect((second[0]["certificate"] as? [String: Any])?["sha256"] as? String == rogueDigest)
            // The rotated file kept its one record.
            #expect(try auditLines(rotated, count: 1).count == 1)

            // danegate audit over both files, in order.
            let combined = try folder.write(
                "all.log",
                try String(contentsOfFile: rotated, encoding: .utf8) + String(contentsOfFile: auditPath, encoding: .utf8))
            let summary = try run(try builtProduct("danegate"), ["audit", combined, "--json"])
            #expect(summary.status == 0, "\(summary.stderr)")
            let groups = try #require(try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [[String: Any]])
            let described = Set(groups.map {
                "\($0["service"] as? String ?? "?") \($0["verdict"] as? String ?? "?") \($0["reason"] as? String ?? "-") \($0["count"] as? Int ?? 0)"
            })
            #expect(described == ["echo verified - 1", "rogue refused dane-no-match 1"], "\(summary.stdout)")
            let failed = try run(try builtProduct("danegate"), ["audit", combined, "--failed", "--json"])
            let failedGroups = try #require(try JSONSerialization.jsonObject(with: Data(failed.stdout.utf8)) as? [[String: Any]])
            #expect(failedGroups.map { $0["service"] as? String } == ["rogue"], "\(failed.stdout)")
        }
    }

    @Test func brokenConfigExitsOneNamingFileLineAndKey() throws {
        let folder = try TemporaryDirectory(prefix: "danegate-binary-bad")
        defer { try? FileManager.default.removeItem(atPath: folder.path) }
        let path = try folder.write("bad.conf", """
            [web]
            accept = 127.0.0.1:0
            connect = www.example.org:443
            protocol = gopher
            idle-timeout = forever

            """)
        let result = try run(try builtProduct("danegate"), ["--config", path], timeout: 20)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty, "\(result.stdout)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("\(path):4: protocol: ") == true, "\(result.stderr)")
        #expect(lines.last?.hasPrefix("\(path):5: idle-timeout: ") == true, "\(result.stderr)")
    }
}
