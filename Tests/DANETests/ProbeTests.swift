import DANE
import EventLoop
import Foundation
import Resolver
import Testing
import TestSupport

/// `dane probe` against real servers on loopback, with TLSA records from a signed zone served by
/// knotd and validated by unbound; verdicts compared with ldns-dane where it speaks the protocol
/// (direct TLS: DANE-EE match and mismatch, DANE-TA name mismatch, bogus and absent TLSA). danetool cannot take part: gnutls-dane validates from the real root key only.
@Suite struct ProbeTests {
    @Test func directTLSRightCertificatePasses() throws {
        let live = try LiveFixture.get()
        let passed = try live.run(["probe", "tls", "good.dane.test", "--port", "\(live.good.port)"] + live.trustAD)
        #expect(passed.status == 0, "\(passed.text)")
        #expect(passed.json["verdict"] as? String == "pass")
        #expect(passed.firstHost["dnssec"] as? String == "secure")
        // The table shows the record that does not match too.
        let records = passed.firstHost["records"] as? [[String: Any]] ?? []
        #expect(records.compactMap { $0["matched"] as? Bool }.sorted { !$0 && $1 } == [false, true])
        #expect((passed.firstHost["match"] as? [String: Any])?["depth"] as? Int == 0)
        #expect((passed.firstHost["tls"] as? [String: Any])?["version"] != nil)
        #expect(try live.ldnsDanePasses("good.dane.test", port: live.good.port))
    }

    @Test func directTLSRogueCertificateRefused() throws {
        let live = try LiveFixture.get()
        let refused = try live.run(["probe", "tls", "rogue.dane.test", "--port", "\(live.rogue.port)"] + live.trustAD)
        #expect(refused.status == 1, "\(refused.text)")
        #expect(refused.reason == "dane-no-match")
        #expect((refused.firstHost["records"] as? [[String: Any]])?.first?["matched"] as? Bool == false)
        #expect(try !live.ldnsDanePasses("rogue.dane.test", port: live.rogue.port))
    }

    @Test func daneTAChecksTheName() throws {
        // DANE-TA(2) matches the intermediate, but the leaf names good.dane.test only.
        let live = try LiveFixture.get()
        let mismatch = try live.run(["probe", "tls", "ta.dane.test", "--port", "\(live.good.port)"] + live.trustAD)
        #expect(mismatch.status == 1, "\(mismatch.text)")
        #expect(mismatch.reason == "dane-name-mismatch")
        // ldns-dane checks DANE-TA names even with -n (which skips only DANE-EE name checks).
        let ldns = try live.ldnsDane("ta.dane.test", port: live.good.port)
        #expect(ldns.status == 1 && ldns.stdout.contains("hostname mismatch"), "\(ldns.stdout)\(ldns.stderr)")
    }

    @Test func secureCNAMEUsesTheExpandedName() throws {
        // RFC 7671 §7: the TLSA at the fully expanded name is tried first.
        let live = try LiveFixture.get()
        let alias = try live.run(["probe", "https", "alias.dane.test", "--port", "\(live.good.port)"] + live.trustAD)
        #expect(alias.status == 0, "\(alias.text)")
        #expect(alias.firstHost["tlsaName"] as? String == "_\(live.good.port)._tcp.good.dane.test.")
    }

    @Test func securelyAbsentTLSAStillConnectsAndExitsTwo() throws {
        let live = try LiveFixture.get()
        let absent = try live.run(["probe", "tls", "none.dane.test", "--port", "\(live.good.port)"] + live.trustAD)
        #expect(absent.status == 2, "\(absent.text)")
        #expect(absent.reason == "no-tlsa")
        #expect(absent.firstHost["tls"] is [String: Any])
        // ldns-dane finds no TLSA records either (and then tries PKIX, which our test CA fails).
        let ldns = try live.ldnsDane("none.dane.test", port: live.good.port)
        #expect(ldns.status == 1, "\(ldns.stdout)\(ldns.stderr)")
        #expect(ldns.stderr.contains("No TLSA records for _\(live.good.port)._tcp.none.dane.test. were found"), "\(ldns.stderr)")
    }

    @Test func bogusTLSAIsADNSFailure() throws {
        // Rule 4: never read as "no TLSA".
        let live = try LiveFixture.get()
        let bogus = try live.run(["probe", "tls", "bogus.dane.test", "--port", "\(live.good.port)"] + live.trustAD)
        #expect(bogus.status == 3, "\(bogus.text)")
        #expect(bogus.reason == "tlsa-bogus")
        let ldns = try live.ldnsDane("bogus.dane.test", port: live.good.port)
        #expect(ldns.status == 1 && ldns.stderr.contains("were bogus"), "\(ldns.stdout)\(ldns.stderr)")
    }

    @Test func insecureZoneAndInsecureMXMeanNoDANE() throws {
        let live = try LiveFixture.get()
        let insecure = try live.run(["probe", "tls", "host.insecure.dane.test", "--port", "\(live.good.port)"] + live.trustAD)
        #expect(insecure.status == 2, "\(insecure.text)")
        #expect(insecure.reason == "tlsa-insecure")
        // RFC 7672 §2.2.1: an insecure MX RRset disables DANE for its hosts.
        let insecureMX = try live.run(
            ["probe", "smtp", "insecure.dane.test", "--mx", "--connect", "127.0.0.1:\(live.postfix.port)"] + live.trustAD)
        #expect(insecureMX.status == 2, "\(insecureMX.text)")
        #expect(insecureMX.reason == "mx-insecure")
    }

    @Test func smtpIgnoresPKIXUsages() throws {
        let live = try LiveFixture.get()
        let unusable = try live.run(
            ["probe", "smtp", "pkixonly.dane.test", "--connect", "127.0.0.1:\(live.noStartTLS.port)"] + live.trustAD)
        #expect(unusable.status == 2, "\(unusable.text)")
        #expect(unusable.reason == "tlsa-unusable")
    }

    @Test func smtpStartTLSMissingRefused() throws {
        let live = try LiveFixture.get()
        let downgrade = try live.run(
            ["probe", "smtp", "nostarttls.dane.test", "--connect", "127.0.0.1:\(live.noStartTLS.port)"] + live.trustAD)
        #expect(downgrade.status == 1, "\(downgrade.text)")
        #expect(downgrade.reason == "starttls-not-supported")
    }

    @Test func smtpStartTLSInjectionRefused() throws {
        let live = try LiveFixture.get()
        let injected = try live.run(
            ["probe", "smtp", "inject.dane.test", "--connect", "127.0.0.1:\(live.injecting.port)"] + live.trustAD)
        #expect(injected.status == 1, "\(injected.text)")
        #expect(injected.reason == "starttls-injection")
    }

    @Test func unreachableServerExitsFour() throws {
        let live = try LiveFixture.get()
        let closedPort = try freeLoopbackPort()
        let unreachable = try live.run(["probe", "smtp", "inject.dane.test", "--connect", "127.0.0.1:\(closedPort)"] + live.trustAD)
        #expect(unreachable.status == 4, "\(unreachable.text)")
        #expect(unreachable.reason == "upstream-unreachable")
    }

    @Test func xmppInjectionAfterProceedRefused() throws {
        // The SRV target's TLSA is secure; the server appends a stanza to <proceed/>.
        let live = try LiveFixture.get()
        let injected = try live.run(
            ["probe", "xmpp", "dane.test", "--srv", "--connect", "127.0.0.1:\(live.injectingXMPP.port)"] + live.trustAD)
        #expect(injected.status == 1, "\(injected.text)")
        #expect(injected.reason == "starttls-injection")
    }

    @Test func silentServerTimesOut() throws {
        // A server that accepts and never greets: the per-host deadline ends the probe.
        let live = try LiveFixture.get()
        let stalled = try live.run(
            ["probe", "smtp", "nostarttls.dane.test", "--connect", "127.0.0.1:\(live.silent.port)", "--timeout", "1"] + live.trustAD)
        #expect(stalled.reason == "timeout", "\(stalled.text)")
        #expect(stalled.status == 3)
    }

    @Test func nginxRightPassesRogueFails() throws {
        let live = try LiveFixture.get()
        let right = try live.run(["probe", "https", "www.dane.test", "--port", "\(live.nginx.port)"] + live.trustAD)
        #expect(right.status == 0, "\(right.text)")
        let rogue = try live.run(["probe", "https", "evil.dane.test", "--port", "\(live.rogueNginx.port)"] + live.trustAD)
        #expect(rogue.status == 1, "\(rogue.text)")
        #expect(rogue.reason == "dane-no-match")
        #expect(try live.ldnsDanePasses("www.dane.test", port: live.nginx.port))
        #expect(try !live.ldnsDanePasses("evil.dane.test", port: live.rogueNginx.port))
    }

    @Test func postfixThroughMX() throws {
        let live = try LiveFixture.get()
        let mail = try live.run(["probe", "smtp", "dane.test", "--mx", "--connect", "127.0.0.1:\(live.postfix.port)"] + live.trustAD)
        #expect(mail.status == 0, "\(mail.text)")
        #expect(mail.firstHost["host"] as? String == "mail.dane.test")
        #expect(mail.firstHost["tlsaName"] as? String == "_25._tcp.mail.dane.test.")
        let mismatch = try live.run(["probe", "smtp", "mailbad.dane.test", "--connect", "127.0.0.1:\(live.postfix.port)"] + live.trustAD)
        #expect(mismatch.status == 1, "\(mismatch.text)")
        #expect(mismatch.reason == "dane-no-match")
    }

    @Test func everyMXHostMustPassUnlessFirst() throws {
        let live = try LiveFixture.get()
        let multi = try live.run(["probe", "smtp", "multi.dane.test", "--mx", "--connect", "127.0.0.1:\(live.postfix.port)"] + live.trustAD)
        #expect(multi.status == 1, "\(multi.text)")
        #expect((multi.json["hosts"] as? [[String: Any]])?.compactMap { $0["verdict"] as? String } == ["pass", "fail"])
        let first = try live.run(
            ["probe", "smtp", "multi.dane.test", "--mx", "--first", "--connect", "127.0.0.1:\(live.postfix.port)"] + live.trustAD)
        #expect(first.status == 0, "\(first.text)")
    }

    @Test func ngircdDirectTLS() throws {
        // RFC 7194: IRC over TLS from the first byte.
        let live = try LiveFixture.get()
        let irc = try live.run(["probe", "irc", "irc.dane.test", "--port", "\(live.ngircd.port)"] + live.trustAD)
        #expect(irc.status == 0, "\(irc.text)")
        let bad = try live.run(["probe", "irc", "ircbad.dane.test", "--port", "\(live.ngircd.port)"] + live.trustAD)
        #expect(bad.reason == "dane-no-match", "\(bad.text)")
        #expect(try live.ldnsDanePasses("irc.dane.test", port: live.ngircd.port))
        #expect(try !live.ldnsDanePasses("ircbad.dane.test", port: live.ngircd.port))
    }

    @Test func prosodyThroughSRV() throws {
        // RFC 7673: TLSA at the SRV target and port; SNI and stream to the service domain.
        let live = try LiveFixture.get()
        let xmpp = try live.run(["probe", "xmpp", "dane.test", "--srv", "--connect", "127.0.0.1:\(live.prosody.port)"] + live.trustAD)
        #expect(xmpp.status == 0, "\(xmpp.text)")
        #expect(xmpp.firstHost["tlsaName"] as? String == "_5222._tcp.xmpp.dane.test.")
        let bad = try live.run(["probe", "xmpp", "bad.dane.test", "--srv", "--connect", "127.0.0.1:\(live.prosody.port)"] + live.trustAD)
        #expect(bad.status == 1, "\(bad.text)")
        #expect(bad.reason == "dane-no-match")
    }

    @Test func inProcessValidationAgrees() throws {
        let live = try LiveFixture.get()
        let good = try live.run(["probe", "tls", "good.dane.test", "--port", "\(live.good.port)"] + live.validating)
        #expect(good.status == 0, "\(good.text)")
        let rogue = try live.run(["probe", "tls", "rogue.dane.test", "--port", "\(live.rogue.port)"] + live.validating)
        #expect(rogue.reason == "dane-no-match", "\(rogue.text)")
        let absent = try live.run(["probe", "tls", "none.dane.test", "--port", "\(live.good.port)"] + live.validating)
        #expect(absent.reason == "no-tlsa", "\(absent.text)")
        let bogus = try live.run(["query", "_\(live.good.port)._tcp.bogus.dane.test", "TLSA"] + live.validating)
        #expect(bogus.status == 3, "\(bogus.text)")
        #expect(bogus.json["status"] as? String == "bogus")
    }

    @Test func lookupShowsRecordsAndTheChain() throws {
        let live = try LiveFixture.get()
        let lookup = try live.run(["lookup", "good.dane.test", "--port", "\(live.good.port)"] + live.trustAD)
        #expect(lookup.status == 0, "\(lookup.text)")
        #expect(lookup.json["status"] as? String == "secure")
        #expect((lookup.json["records"] as? [Any])?.count == 2)
        let proven = try live.run(["lookup", "good.dane.test", "--port", "\(live.good.port)"] + live.validating)
        #expect(proven.status == 0, "\(proven.text)")
        let zones = (proven.json["chain"] as? [[String: Any]] ?? []).compactMap { $0["zone"] as? String }
        #expect(zones.contains("dane.test."), "\(proven.text)")
    }

    @Test func queryIsAValidatingDig() throws {
        let live = try LiveFixture.get()
        let query = try live.run(["query", "good.dane.test", "A"] + live.trustAD)
        #expect(query.status == 0 && query.json["status"] as? String == "secure", "\(query.text)")
        // A resolver that does not answer: a DNS failure, not "no records".
        let deadPort = try freeLoopbackPort()
        let dead = try live.run(["query", "good.dane.test", "TLSA", "--resolver", "127.0.0.1:\(deadPort)", "--trust-ad", "--dns-timeout", "1"])
        #expect(dead.status == 3, "\(dead.text)")
    }

    @Test func verifyWithTLSAFromDNS() throws {
        let live = try LiveFixture.get()
        let port = "\(live.good.port)"
        let right = try live.run(["verify", "--cert", live.pki.leafChain, "--port", port, "good.dane.test"] + live.trustAD)
        #expect(right.status == 0 && right.json["verdict"] as? String == "pass", "\(right.text)")
        let rogue = try live.run(["verify", "--cert", live.pki.rogueCertificate, "--port", port, "good.dane.test"] + live.trustAD)
        #expect(rogue.status == 1 && rogue.reason == "dane-no-match", "\(rogue.text)")
        let none = try live.run(["verify", "--cert", live.pki.leafChain, "--port", port, "none.dane.test"] + live.trustAD)
        #expect(none.status == 2 && none.reason == "no-tlsa", "\(none.text)")
    }

    @Test func humanOutputHasTheVerdictAndTable() throws {
        let live = try LiveFixture.get()
        let human = try run(live.dane, ["probe", "tls", "good.dane.test", "--port", "\(live.good.port)"] + live.trustAD)
        #expect(human.stdout.contains("VERIFIED") && human.stdout.contains("MATCH depth 0") && human.stdout.contains("no match"),
                "\(human.stdout)")
    }
}

/// The library API against the same peers: connect with each policy, SMTP, and HTTP GET.
@Suite struct ConnectorTests {
    private func connector(_ live: LiveFixture) throws -> (DANEConnector, AsyncResolver) {
        var configuration = try ResolverConfiguration(serverStrings: [live.dns.resolverAddress])
        try configuration.requireTrustAD()
        let resolver = try AsyncResolver(configuration: configuration)
        return (try DANEConnector(source: TrustADLookupSource(resolver: resolver), timeout: .seconds(10)), resolver)
    }

    @Test func httpGetOverAVerifiedConnection() async throws {
        let live = try LiveFixture.get()
        let (connector, resolver) = try connector(live)
        defer { resolver.shutdown() }
        let response = try await DANEHTTPClient(connector: connector).get(host: "www.dane.test", port: live.nginx.port)
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "hello from nginx\n")
        #expect(response.report.verdict == .pass)
        do {
            _ = try await DANEHTTPClient(connector: connector).get(host: "evil.dane.test", port: live.rogueNginx.port)
            Issue.record("GET from a rogue server succeeded")
        } catch let failure as UpstreamFailure {
            #expect(failure.reason == .daneNoMatch)
        }
    }

    @Test func policiesDecideWithoutUsableTLSA() async throws {
        let live = try LiveFixture.get()
        let (connector, resolver) = try connector(live)
        defer { resolver.shutdown() }
        do {
            _ = try await connector.connect(.host("none.dane.test", port: live.good.port), protocol: .tls, policy: .require)
            Issue.record("require connected without TLSA")
        } catch {
            #expect(error.reason == .noTLSA)
        }
        let opportunistic = try await connector.connect(.host("none.dane.test", port: live.good.port), protocol: .tls, policy: .opportunistic)
        #expect(!opportunistic.isAuthenticated)
        #expect(opportunistic.report.reason == .noTLSA)
        opportunistic.close()
        do {
            _ = try await connector.connect(.host("bogus.dane.test", port: live.good.port), protocol: .tls, policy: .opportunistic)
            Issue.record("opportunistic connected despite bogus TLSA")
        } catch {
            #expect(error.reason == .tlsaBogus)
        }
        do {
            _ = try await connector.connect(.host("rogue.dane.test", port: live.rogue.port), protocol: .tls, policy: .opportunistic)
            Issue.record("opportunistic fell back from a failed match")
        } catch {
            #expect(error.reason == .daneNoMatch)
        }
        let required = try await connector.connect(.host("good.dane.test", port: live.good.port), protocol: .tls, policy: .require)
        #expect(required.isAuthenticated)
        required.close()
    }

    @Test func smtpGreetingHeldBackAndEHLOInsideTLS() async throws {
        let live = try LiveFixture.get()
        let (connector, resolver) = try connector(live)
        defer { resolver.shutdown() }
        let smtp = try await connector.connect(
            .host("mail.dane.test", port: 25), protocol: .smtp, policy: .require,
            connectAddress: try SocketAddress(parsing: "127.0.0.1:\(live.postfix.port)"))
        defer { smtp.close() }
        #expect(String(decoding: smtp.greeting ?? [], as: UTF8.self).hasPrefix("220 mail.dane.test"))
        await smtp.write(Array("EHLO client.dane.test\r\n".utf8))
        var reply: [UInt8] = []
        while !String(decoding: reply, as: UTF8.self).contains("\r\n250 "), let chunk = await smtp.read() { reply += chunk }
        #expect(String(decoding: reply, as: UTF8.self).hasPrefix("250-mail.dane.test"))
        #expect(!String(decoding: reply, as: UTF8.self).contains("STARTTLS"))  // already inside TLS
    }
}
