import DANE
import Foundation
import Gateway
import Testing
import TestSupport

/// The XMPP front end: the domain from the client's stream header, and the stream error a
/// refused client reads (RFC 6120 §4.9.3.14 policy-violation).
@Suite(.serialized) struct GatewayXMPPTests {
    @Test func injectionAfterProceedIsAPolicyViolation() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let running = try RunningGateway([try testService("xmpp-any", .xmpp, .srvFromClient)], dns: fixture.dns)
            let client = try BlockingSocket(connectingTo: running.port("xmpp-any"))
            client.send(xmppHeader(to: "xinject.dane.test"))
            let seen = text(receive(client))
            #expect(seen.hasPrefix("<?xml version='1.0'?><stream:stream from='xinject.dane.test'"), "\(seen)")
            #expect(seen.contains(
                "<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                    + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>starttls-injection</text></stream:error></stream:stream>"))
            let audit = try running.collector.wait(for: "xmpp-any")[0].audit
            #expect(audit.verdict == .refused)
            #expect(audit.reason == .dane(.starttlsInjection))
            #expect(audit.target == "xmpphost.dane.test:\(fixture.injectingXMPP.port)")
        }
    }

    @Test func serverWithoutStartTLSIsAPolicyViolation() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let running = try RunningGateway([try testService("xmpp-strip", .xmpp, .srvFromClient)], dns: fixture.dns)
            let client = try BlockingSocket(connectingTo: running.port("xmpp-strip"))
            client.send(xmppHeader(to: "xstrip.dane.test"))
            let seen = text(receive(client))
            #expect(seen.hasPrefix("<?xml version='1.0'?><stream:stream from='xstrip.dane.test'"), "\(seen)")
            #expect(seen.hasSuffix(
                "<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                    + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>starttls-not-supported</text></stream:error></stream:stream>"),
                "\(seen)")
            // Nothing of the server's features reached the client.
            #expect(!seen.contains("mechanism"))
            let audit = try running.collector.wait(for: "xmpp-strip")[0].audit
            #expect(audit.verdict == .refused)
            #expect(audit.reason == .dane(.starttlsNotSupported))
            #expect(audit.target == "xmppstrip.dane.test:\(fixture.strippingXMPP.port)")
            #expect(audit.bytesUp == 0)
            #expect(AuditRecord.tlsReportResultType(audit.reason, policy: .require) == "starttls-not-supported")
        }
    }

    @Test func aStreamHeaderWithoutADomainIsRefusedBeforeAnyLookup() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let running = try RunningGateway([try testService("xmpp-nodomain", .xmpp, .srvFromClient)], dns: fixture.dns)
            let client = try BlockingSocket(connectingTo: running.port("xmpp-nodomain"))
            client.send(xmppHeader(to: nil))
            #expect(text(receive(client)).contains("<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"))
            let report = try running.collector.wait(for: "xmpp-nodomain")[0]
            #expect(report.audit.verdict == .error)
            #expect(report.audit.reason == nil)
            #expect(report.attempts.isEmpty)
        }
    }
}

/// A client that leaves before the upstream is ready (with the rule tests: they share the
/// silent capture upstream and run one at a time).
extension GatewayRuleTests {
    @Test func clientClosingDuringTheHandshakeIsAnErrorWithoutADANEReason() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let running = try RunningGateway(
                [try testService("tls-leaver", .tls, .host("silent.dane.test", port: fixture.silent.port), handshakeTimeout: .seconds(1))],
                dns: fixture.dns)
            let client = try BlockingSocket(connectingTo: running.port("tls-leaver"))
            client.shutdownWrite()
            let report = try running.collector.wait(for: "tls-leaver")[0]
            #expect(report.audit.verdict == .error)
            #expect(report.audit.reason == nil)
            #expect(report.detail.contains("closed before the upstream was ready"), "\(report.detail)")
            // A dial that started before the close ends at its deadline; the capture upstream is
            // idle again for the next test.
            try fixture.silent.waitUntilIdle()
        }
    }
}
