import DANE
import Foundation
import Gateway
import Testing
import TestSupport

/// The refusal matrix of the gateway issue against the real servers of the end-to-end tests
/// (postfix, prosody, ngircd, nginx): for each protocol, a certificate its TLSA does not match
/// (rogue), a bogus TLSA, and a TLSA in an insecure zone under `require`. Each row checks the
/// bytes the client reads (SMTP `421 4.7.5 <reason>`, XMPP `<policy-violation/>` with the
/// reason, HTTP `502 Bad Gateway` with the reason in the body, IRC `ERROR :<reason>`, TLS a
/// plain close) and the audit record's verdict, reason, DNSSEC status and RFC 8460 result.
@Suite(.serialized) struct RefusalMatrixTests {
    enum Peer: Sendable { case postfix, prosody, ngircd, nginx }

    enum Failure: String, Sendable {
        case rogue, bogus, insecure

        var reason: DANEReason {
            switch self {
            case .rogue: .daneNoMatch
            case .bogus: .tlsaBogus
            case .insecure: .tlsaInsecure
            }
        }

        var dnssec: String {
            switch self {
            case .rogue: "secure"
            case .bogus: "bogus"
            case .insecure: "insecure"
            }
        }

        var tlsReportResult: String {
            switch self {
            case .rogue: "validation-failure"
            case .bogus: "dnssec-invalid"
            case .insecure: "dane-required"
            }
        }
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let serviceProtocol: ServiceProtocol
        let failure: Failure
        /// A host name in `dane.test.` (fixed host), or the XMPP domain for `srv:*`.
        let name: String
        let peer: Peer

        var testDescription: String { "\(serviceProtocol) \(failure.rawValue) (\(name))" }
    }

    static let rows: [Row] = [
        Row(serviceProtocol: .smtp, failure: .rogue, name: "mailbad.dane.test", peer: .postfix),
        Row(serviceProtocol: .smtp, failure: .bogus, name: "mailbogus.dane.test", peer: .postfix),
        Row(serviceProtocol: .smtp, failure: .insecure, name: "mail.insecure.dane.test", peer: .postfix),
        Row(serviceProtocol: .xmpp, failure: .rogue, name: "bad.dane.test", peer: .prosody),
        Row(serviceProtocol: .xmpp, failure: .bogus, name: "xbogus.dane.test", peer: .prosody),
        Row(serviceProtocol: .xmpp, failure: .insecure, name: "xinsecure.dane.test", peer: .prosody),
        Row(serviceProtocol: .irc, failure: .rogue, name: "ircbad.dane.test", peer: .ngircd),
        Row(serviceProtocol: .irc, failure: .bogus, name: "ircbogus.dane.test", peer: .ngircd),
        Row(serviceProtocol: .irc, failure: .insecure, name: "irc.insecure.dane.test", peer: .ngircd),
        Row(serviceProtocol: .https, failure: .rogue, name: "evil.dane.test", peer: .nginx),
        Row(serviceProtocol: .https, failure: .bogus, name: "wwwbogus.dane.test", peer: .nginx),
        Row(serviceProtocol: .https, failure: .insecure, name: "www.insecure.dane.test", peer: .nginx),
        Row(serviceProtocol: .tls, failure: .rogue, name: "evil.dane.test", peer: .nginx),
        Row(serviceProtocol: .tls, failure: .bogus, name: "wwwbogus.dane.test", peer: .nginx),
        Row(serviceProtocol: .tls, failure: .insecure, name: "www.insecure.dane.test", peer: .nginx),
    ]

    private static func port(_ peer: Peer, _ fixture: EndToEndFixture) -> UInt16 {
        switch peer {
        case .postfix: fixture.postfix.port
        case .prosody: fixture.prosody.port
        case .ngircd: fixture.ngircd.port
        case .nginx: fixture.nginx.port
        }
    }

    /// What a client of the protocol sends first (held by the gateway, never sent upstream).
    private static func opening(_ row: Row) -> [UInt8] {
        switch row.serviceProtocol {
        case .smtp: Array("EHLO client.test\r\n".utf8)
        case .xmpp: xmppHeader(to: row.name)
        case .irc: Array("NICK refused\r\nUSER refused 0 * :refused\r\n".utf8)
        case .https: Array("GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        case .tls: Array("plain bytes for a refused upstream\n".utf8)
        }
    }

    @Test(arguments: rows)
    func refusedClientSeesTheProtocolsRefusalAndTheAuditSaysWhy(row: Row) async throws {
        try await offThePool {
            let fixture = try EndToEndFixture.get()
            let port = Self.port(row.peer, fixture)
            let connect: ConnectTarget = row.serviceProtocol == .xmpp ? .srvFromClient : .host(row.name, port: port)
            let service = "matrix-\(row.serviceProtocol)-\(row.failure.rawValue)"
            let running = try RunningGateway([try testService(service, row.serviceProtocol, connect)], dns: fixture.dns)
            let client = try BlockingSocket(connectingTo: running.port(service))
            client.send(Self.opening(row))
            let seen = text(receive(client))
            let reason = row.failure.reason.rawValue
            switch row.serviceProtocol {
            case .smtp:
                #expect(seen == "421 4.7.5 \(reason)\r\n", "\(seen)")
            case .irc:
                #expect(seen == "ERROR :\(reason)\r\n", "\(seen)")
            case .xmpp:
                #expect(seen.hasPrefix("<?xml version='1.0'?><stream:stream from='\(row.name)'"), "\(seen)")
                #expect(seen.hasSuffix(
                    "<stream:error><policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                        + "<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>\(reason)</text></stream:error></stream:stream>"),
                    "\(seen)")
            case .https:
                #expect(seen.hasPrefix("HTTP/1.1 502 Bad Gateway\r\n"), "\(seen)")
                let parts = seen.components(separatedBy: "\r\n\r\n")
                let body = parts.count == 2 ? parts[1] : ""
                #expect(body.contains(reason) && body.utf8.count < 200, "\(seen)")
                #expect(parts.first?.contains("Content-Length: \(body.utf8.count)\r\n") == true, "\(seen)")
            case .tls:
                #expect(seen.isEmpty, "\(seen)")
            }
            let report = try running.collector.wait(for: service)[0]
            let audit = report.audit
            #expect(audit.verdict == .refused, "\(report.detail)")
            #expect(audit.reason == .dane(row.failure.reason), "\(report.detail)")
            #expect(audit.dnssec == row.failure.dnssec)
            #expect(audit.bytesUp == 0)
            #expect(AuditRecord.tlsReportResultType(audit.reason, policy: .require) == row.failure.tlsReportResult)
            if row.failure == .rogue {
                // The refused certificate is named: the one the server presented.
                let presented = try fixture.pki.certificateSHA256(fixture.pki.leafCertificate)
                #expect(audit.certificate?.sha256 == presented.map { String(format: "%02x", $0) }.joined(), "\(String(describing: audit.certificate))")
                #expect(audit.tlsa?.map(\.matched) == [false])
                #expect(audit.address == "127.0.0.1:\(port)")
            } else {
                // Refused from DNS alone: no upstream connection was made.
                #expect(audit.address == nil && audit.tls == nil, "\(String(describing: audit.address))")
            }
        }
    }
}

/// An XMPP client's opening stream header to `domain` (RFC 6120 §4.7).
func xmppHeader(to domain: String?) -> [UInt8] {
    let to = domain.map { " to='\($0)'" } ?? ""
    return Array(
        ("<?xml version='1.0'?><stream:stream\(to) version='1.0' xmlns='jabber:client' "
            + "xmlns:stream='http://etherx.jabber.org/streams'>").utf8)
}
