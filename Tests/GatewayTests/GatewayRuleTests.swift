import DANE
import EventLoop
import Foundation
import Gateway
import Testing
import TestSupport

/// DESIGN rules 1, 2, 4, 6 through the in-process gateway, checked on the wire where it matters:
/// what reaches the upstream is captured by a raw TCP listener, not read from a server's
/// transcript.
@Suite(.serialized) struct GatewayRuleTests {
    @Test func clientBytesNeverReachAnUnauthenticatedUpstream() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let before = fixture.captureSMTP.connections.count
            let running = try RunningGateway(
                [try testService("smtp-capture", .smtp, .host("capture.dane.test", port: fixture.captureSMTP.port))],
                dns: fixture.dns)
            let client = try BlockingSocket(connectingTo: running.port("smtp-capture"))
            // Early bytes, sent before any greeting: they must wait for an authenticated upstream.
            client.send(Array("EHLO early.client\r\nMAIL FROM:<secret@client.test>\r\n".utf8))
            let seen = text(receive(client))
            #expect(seen == "421 4.7.5 tls-handshake-failed\r\n", "\(seen)")
            let captured = try fixture.captureSMTP.waitForConnections(before + 1)[before]
            // On the wire: our EHLO, STARTTLS, then only TLS handshake records.
            let plaintext = Array("EHLO danegate.invalid\r\nSTARTTLS\r\n".utf8)
            #expect(Array(captured.prefix(plaintext.count)) == plaintext, "\(text(captured))")
            let afterStartTLS = Array(captured.dropFirst(plaintext.count))
            let records = tlsRecords(afterStartTLS)
            #expect(records.complete && !records.records.isEmpty)
            #expect(records.records.allSatisfy { $0.type == 22 || $0.type == 21 }, "\(records.records)")
            #expect(!text(captured).contains("secret"))
            let report = try running.collector.wait(for: "smtp-capture")[0]
            #expect(report.audit.verdict == .error)
            #expect(report.audit.reason == .dane(.tlsHandshakeFailed))
            #expect(report.audit.bytesUp == 0)
        }
    }

    @Test func earlyBytesWaitInABoundedBuffer() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let before = fixture.silent.connections.count
            let limit = 64 * 1024
            let running = try RunningGateway(
                [try testService("tls-silent", .tls, .host("silent.dane.test", port: fixture.silent.port), handshakeTimeout: .seconds(2))],
                dns: fixture.dns, limits: GatewayLimits(earlyBytes: limit))
            let client = try BlockingSocket(connectingTo: running.port("tls-silent"))
            // Flood: 16 MiB offered while the upstream never answers. The send blocks once the
            // gateway stops reading and the kernel's buffers are full; the socket's send timeout
            // ends it.
            client.send([UInt8](repeating: 0x41, count: 16 << 20))
            let report = try running.collector.wait(for: "tls-silent")[0]
            #expect(report.peakEarlyBytes > 0)
            // The bound: the limit plus at most the one read (64 KiB) that crossed it.
            #expect(report.peakEarlyBytes <= limit + 64 * 1024, "held \(report.peakEarlyBytes) bytes")
            #expect(report.audit.verdict == .error)
            #expect(report.audit.reason == .dane(.timeout))
            let captured = try fixture.silent.waitForConnections(before + 1)[before]
            // Only the ClientHello reached the upstream: one handshake record, no client byte.
            let records = tlsRecords(captured)
            #expect(records.complete && records.records.count == 1 && records.records.first?.type == 22, "\(records.records)")
        }
    }

    @Test func starttlsInjectionRefused() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let running = try RunningGateway(
                [try testService("smtp-inject", .smtp, .host("inject.dane.test", port: fixture.injecting.port))], dns: fixture.dns)
            let client = try BlockingSocket(connectingTo: running.port("smtp-inject"))
            #expect(text(receive(client)) == "421 4.7.5 starttls-injection\r\n")
            let report = try running.collector.wait(for: "smtp-inject")[0]
            #expect(report.audit.verdict == .refused)
            #expect(report.audit.reason == .dane(.starttlsInjection))
        }
    }

    @Test func starttlsStrippingRefused() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let running = try RunningGateway(
                [try testService("smtp-strip", .smtp, .host("nostarttls.dane.test", port: fixture.noStartTLS.port))],
                dns: fixture.dns)
            let client = try BlockingSocket(connectingTo: running.port("smtp-strip"))
            #expect(text(receive(client)) == "421 4.7.5 starttls-not-supported\r\n")
            let report = try running.collector.wait(for: "smtp-strip")[0]
            #expect(report.audit.verdict == .refused)
            #expect(report.audit.reason == .dane(.starttlsNotSupported))
            #expect(AuditRecord.tlsReportResultType(report.audit.reason, policy: .require) == "starttls-not-supported")
        }
    }

    @Test func bogusTLSARefusedAsTemporaryBeforeAnyConnect() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let before = fixture.captureSMTP.connections.count
            let running = try RunningGateway(
                [
                    try testService("smtp-bogus", .smtp, .host("bogus.dane.test", port: fixture.captureSMTP.port)),
                    try testService("smtp-bogus-opportunistic", .smtp, .host("bogus.dane.test", port: fixture.captureSMTP.port), dane: .opportunistic),
                    // Rule 4 holds under `audit` too: a DNS failure is never "go on and record".
                    try testService("smtp-bogus-audit", .smtp, .host("bogus.dane.test", port: fixture.captureSMTP.port), dane: .audit),
                ], dns: fixture.dns)
            for service in ["smtp-bogus", "smtp-bogus-opportunistic", "smtp-bogus-audit"] {
                let client = try BlockingSocket(connectingTo: running.port(service))
                client.send(Array("EHLO early\r\n".utf8))
                #expect(text(receive(client)) == "421 4.7.5 tlsa-bogus\r\n", "\(service)")
                let report = try running.collector.wait(for: service)[0]
                #expect(report.audit.verdict == .refused)
                #expect(report.audit.reason == .dane(.tlsaBogus))
                #expect(report.audit.dnssec == "bogus")
                #expect(AuditRecord.tlsReportResultType(report.audit.reason, policy: report.policy) == "dnssec-invalid")
                #expect(DANEReason.tlsaBogus.category == .dnsFailure)
            }
            // Nothing connected to the upstream at all.
            #expect(fixture.captureSMTP.connections.count == before)
        }
    }

    @Test func tlsaLookupTimeoutRefusesTheClientUnderEveryPolicy() async throws {
        try await offThePool {
            // A TLSA lookup that times out is a DNS failure (rule 4): the client is turned away
            // as a temporary failure and nothing is connected, under `audit` too; never "no TLSA".
            let fixture = try GatewayFixture.get()
            let before = fixture.captureSMTP.connections.count
            let services = [DANEPolicy.require, .opportunistic, .audit].map { policy in ("smtp-lame-\(policy)", policy) }
            let running = try RunningGateway(
                try services.map { name, policy in
                    try testService(name, .smtp, .host("lame.dane.test", port: fixture.captureSMTP.port), dane: policy)
                }, dns: fixture.dns)
            for (service, _) in services {
                let client = try BlockingSocket(connectingTo: running.port(service))
                client.send(Array("EHLO early\r\n".utf8))
                #expect(text(receive(client)) == "421 4.7.5 timeout\r\n", "\(service)")
                let report = try running.collector.wait(for: service)[0]
                // Refused as a temporary failure (rule 4), not an upstream error.
                #expect(report.audit.verdict == .refused, "\(report.detail)")
                #expect(report.audit.reason == .dane(.timeout), "\(report.detail)")
                #expect(report.detail.hasPrefix("TLSA lookup of _\(fixture.captureSMTP.port)._tcp.lame.dane.test. failed"), "\(report.detail)")
                #expect(report.audit.address == nil && report.audit.tls == nil)
                #expect(DANEReason.timeout.category == .dnsFailure)
            }
            #expect(fixture.captureSMTP.connections.count == before)
        }
    }

    @Test func clientOutsideAllowIsRefused() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let elsewhere = AddressRange(network: [10, 0, 0, 0], prefixLength: 8)
            let running = try RunningGateway(
                [try testService("tls-allow", .tls, .host("good.dane.test", port: fixture.good.port), allow: [elsewhere])],
                dns: fixture.dns)
            let client = try BlockingSocket(connectingTo: running.port("tls-allow"))
            #expect(receive(client).isEmpty)
            let report = try running.collector.wait(for: "tls-allow")[0]
            #expect(report.audit.verdict == .refused)
            #expect(report.audit.reason == .clientNotAllowed)
        }
    }
}
