import DANE
import EventLoop
import Foundation
import Gateway
import Testing
import TestSupport

/// Direct TLS through the gateway against `openssl s_server`: what the client sees and what the
/// audit record says for each DANE outcome and policy (DESIGN rules 3 and 5).
@Suite(.serialized) struct GatewayPolicyTests {
    /// Sends `line` through the gateway and waits until s_server printed it; then s_server
    /// answers and the client must read the answer.
    private func exchange(_ port: UInt16, with server: OpenSSLServer, line: String) throws -> String {
        let client = try BlockingSocket(connectingTo: port)
        client.send(Array("\(line)\n".utf8))
        try server.peer.waitForLine(containing: line, timeout: 20)
        try server.peer.send("answer to \(line)\n")
        return text(receive(client) { text($0).contains("answer to \(line)") })
    }

    @Test func verifiedUpstreamRelaysBothWays() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let running = try RunningGateway(
                [try testService("tls-good", .tls, .host("good.dane.test", port: fixture.good.port))], dns: fixture.dns)
            let answer = try exchange(running.port("tls-good"), with: fixture.good, line: "hello verified upstream")
            #expect(answer.contains("answer to hello verified upstream"))
            let audit = try running.collector.wait(for: "tls-good")[0].audit
            #expect(audit.verdict == .verified)
            #expect(audit.reason == nil)
            #expect(audit.target == "good.dane.test:\(fixture.good.port)")
            #expect(audit.address == "127.0.0.1:\(fixture.good.port)")
            #expect(audit.tlsaName == "_\(fixture.good.port)._tcp.good.dane.test.")
            #expect(audit.dnssec == "secure")
            #expect(audit.tlsa?.map(\.matched) == [true])
            #expect(audit.match?.usage == 3 && audit.match?.depth == 0)
            #expect(audit.tls?.sni == "good.dane.test")
            #expect(audit.certificate?.spkiSha256.count == 64)
            #expect(audit.certificate?.subject == "CN=good.dane.test", "\(String(describing: audit.certificate))")
            #expect(audit.certificate?.notAfter?.hasSuffix("Z") == true)
            #expect(audit.bytesUp == "hello verified upstream\n".utf8.count)
            #expect(audit.bytesDown >= "answer to hello verified upstream\n".utf8.count)
            #expect(running.collector.auditRecords.count == 1)
        }
    }

    @Test func rogueCertificateRefusedWithAPlainClose() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let running = try RunningGateway(
                [try testService("tls-rogue", .tls, .host("rogue.dane.test", port: fixture.rogue.port))], dns: fixture.dns)
            let client = try BlockingSocket(connectingTo: running.port("tls-rogue"))
            client.send(Array("not for the rogue\n".utf8))
            #expect(receive(client).isEmpty)
            let audit = try running.collector.wait(for: "tls-rogue")[0].audit
            #expect(audit.verdict == .refused)
            #expect(audit.reason == .dane(.daneNoMatch))
            #expect(audit.tlsa?.map(\.matched) == [false])
            // The refused certificate is named in the record: the rogue's, read from the chain
            // OpenSSL keeps after the failed verification.
            let rogue = try fixture.pki.certificateSHA256(fixture.pki.rogueCertificate).map { String(format: "%02x", $0) }.joined()
            #expect(audit.certificate?.sha256 == rogue, "\(String(describing: audit.certificate))")
            #expect(audit.certificate?.spkiSha256.count == 64)
            #expect(audit.certificate?.notAfter?.hasSuffix("Z") == true)
            #expect(audit.tls?.version != nil)
            #expect(AuditRecord.tlsReportResultType(audit.reason, policy: .require) == "validation-failure")
            #expect(!fixture.rogue.peer.transcript.contains("not for the rogue"))
        }
    }

    @Test func insecureZoneUnderRequireRefused() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let running = try RunningGateway(
                [try testService("irc-insecure", .irc, .host("host.insecure.dane.test", port: fixture.good.port))],
                dns: fixture.dns)
            let client = try BlockingSocket(connectingTo: running.port("irc-insecure"))
            #expect(text(receive(client)) == "ERROR :tlsa-insecure\r\n")
            let audit = try running.collector.wait(for: "irc-insecure")[0].audit
            #expect(audit.verdict == .refused)
            #expect(audit.reason == .dane(.tlsaInsecure))
            #expect(audit.dnssec == "insecure")
            #expect(AuditRecord.tlsReportResultType(audit.reason, policy: .require) == "dane-required")
        }
    }

    @Test func opportunisticGoesOnUnauthenticatedWithoutTLSA() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let running = try RunningGateway(
                [
                    try testService("tls-none", .tls, .host("none.dane.test", port: fixture.good.port), dane: .opportunistic),
                    try testService("tls-none-required", .tls, .host("none.dane.test", port: fixture.good.port)),
                    try testService("tls-rogue-opportunistic", .tls, .host("rogue.dane.test", port: fixture.rogue.port), dane: .opportunistic),
                ], dns: fixture.dns)
            let answer = try exchange(running.port("tls-none"), with: fixture.good, line: "opportunistic line")
            #expect(answer.contains("answer to opportunistic line"))
            let audit = try running.collector.wait(for: "tls-none")[0].audit
            #expect(audit.verdict == .unauthenticated)
            #expect(audit.reason == .dane(.noTLSA))
            #expect(audit.tls != nil)
            #expect(AuditRecord.tlsReportResultType(audit.reason, policy: .opportunistic) == nil)
            // The same upstream under require: refused before any byte.
            let required = try BlockingSocket(connectingTo: running.port("tls-none-required"))
            #expect(receive(required).isEmpty)
            #expect(try running.collector.wait(for: "tls-none-required")[0].audit.reason == .dane(.noTLSA))
            // Secure usable TLSA that does not match: no fallback under opportunistic (rule 3).
            let rogue = try BlockingSocket(connectingTo: running.port("tls-rogue-opportunistic"))
            rogue.send(Array("opportunistic secret\n".utf8))
            #expect(receive(rogue).isEmpty)
            let refused = try running.collector.wait(for: "tls-rogue-opportunistic")[0].audit
            #expect(refused.verdict == .refused && refused.reason == .dane(.daneNoMatch))
            #expect(!fixture.rogue.peer.transcript.contains("opportunistic secret"))
        }
    }

    @Test func auditPolicyConnectsAndRecordsTheFailure() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let running = try RunningGateway(
                [try testService("tls-audit", .tls, .host("rogue.dane.test", port: fixture.rogue.port), dane: .audit)],
                dns: fixture.dns)
            let answer = try exchange(running.port("tls-audit"), with: fixture.rogue, line: "audited line")
            #expect(answer.contains("answer to audited line"))
            let audit = try running.collector.wait(for: "tls-audit")[0].audit
            #expect(audit.verdict == .unauthenticated)
            #expect(audit.reason == .dane(.daneNoMatch))
            #expect(audit.tlsa?.map(\.matched) == [false])
        }
    }

    @Test func deadAddressFamilyDoesNotFailTheConnection() async throws {
        try await offThePool {
            // dual.dane.test has AAAA ::1 (nothing listens there) before A 127.0.0.1 (RFC 8305).
            let fixture = try GatewayFixture.get()
            let running = try RunningGateway(
                [try testService("tls-dual", .tls, .host("dual.dane.test", port: fixture.good.port))], dns: fixture.dns)
            let answer = try exchange(running.port("tls-dual"), with: fixture.good, line: "dual stack line")
            #expect(answer.contains("answer to dual stack line"))
            let audit = try running.collector.wait(for: "tls-dual")[0].audit
            #expect(audit.verdict == .verified)
            #expect(audit.address == "127.0.0.1:\(fixture.good.port)")
        }
    }

    @Test func inProcessValidationVerifiesAndRefusesBogus() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let running = try RunningGateway(
                [
                    try testService("tls-validating", .tls, .host("good.dane.test", port: fixture.good.port)),
                    try testService("smtp-validating-bogus", .smtp, .host("bogus.dane.test", port: fixture.captureSMTP.port)),
                ], dns: fixture.dns, validating: true)
            let answer = try exchange(running.port("tls-validating"), with: fixture.good, line: "validated in process")
            #expect(answer.contains("answer to validated in process"))
            #expect(try running.collector.wait(for: "tls-validating")[0].audit.verdict == .verified)
            let client = try BlockingSocket(connectingTo: running.port("smtp-validating-bogus"))
            #expect(text(receive(client)) == "421 4.7.5 tlsa-bogus\r\n")
            let audit = try running.collector.wait(for: "smtp-validating-bogus")[0].audit
            #expect(audit.reason == .dane(.tlsaBogus))
            #expect(audit.dnssec == "bogus")
        }
    }
}
