import DNSWire
import Foundation
import Testing
import TestSupport

/// Issue 9 end to end: `dane lookup` and `dane probe` (the built binaries, validating in
/// process from the zone's trust anchor) ask a forging DNS proxy that sits in front of the
/// real signed hierarchy's resolver and rewrites answers as the attacker of holes 1-3 does.
/// Every attack is refused as a DNS failure; the same lookups through the proxy without the
/// rewrite succeed, so the setup itself is sound.
@Suite(.serialized) struct ForgeryEndToEndTests {
    /// The in-process validating mode through `proxy`.
    static func validating(_ live: LiveFixture, _ proxy: ForgingDNSProxy) -> [String] {
        ["--resolver", proxy.address, "--trust-anchor", live.dns.anchorFile, "--dns-timeout", "3"]
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// Hole 1: beside the genuine signed TLSA RRset of rogue.dane.test (which names the right
    /// key), an unsigned CNAME to the attacker's name with a TLSA for the rogue server's key.
    @Test func cnameBesideTheSignedTLSAIsRefused() throws {
        let live = try LiveFixture.get()
        let tlsaName = try Name(presentation: "_\(live.rogue.port)._tcp.rogue.dane.test.")
        let evil = try Name(presentation: "_\(live.rogue.port)._tcp.evil.attacker.test.")
        let rogueKey = try live.pki.spkiSHA256(live.pki.rogueCertificate)
        let forgedTLSA = TLSA(usage: .init(rawValue: 3), selector: .init(rawValue: 1), matchingType: .init(rawValue: 1), associationData: rogueKey)
        let proxy = try ForgingDNSProxy(upstream: live.dns.resolverAddress) { question, honest, _ in
            guard question.name == tlsaName, question.type == .tlsa else { return honest }
            var forged = honest
            forged.answers += [Record(owner: tlsaName, ttl: 300, rdata: CNAME(evil)), Record(owner: evil, ttl: 300, rdata: forgedTLSA)]
            return forged
        }
        defer { proxy.stop() }
        let probe = try live.run(["probe", "tls", "rogue.dane.test", "--port", "\(live.rogue.port)"] + Self.validating(live, proxy))
        #expect(proxy.forgedQuestions.contains("\(tlsaName.presentation) TLSA"))
        #expect(probe.json["verdict"] as? String != "pass", "\(probe.text)")
        #expect(probe.status == 3, "\(probe.text)")
        #expect(probe.reason == "tlsa-bogus", "\(probe.text)")
        let lookup = try live.run(["lookup", "rogue.dane.test", "--port", "\(live.rogue.port)"] + Self.validating(live, proxy))
        #expect(lookup.json["status"] as? String == "bogus", "\(lookup.text)")
        #expect((lookup.json["records"] as? [Any])?.isEmpty == true, "\(lookup.text)")
        // Nothing the validator did not validate appears as secure, and the attacker's name not at all.
        let rrsets = lookup.json["rrsets"] as? [[String: Any]] ?? []
        #expect(!rrsets.contains { ($0["owner"] as? String)?.contains("attacker") == true }, "\(lookup.text)")
        // Trust-AD mode reads the AD-marked answer by the same rules: the CNAME beside the
        // TLSA makes it bogus there too.
        let trustAD = ["--resolver", proxy.address, "--trust-ad", "--dns-timeout", "3"]
        let viaAD = try live.run(["probe", "tls", "rogue.dane.test", "--port", "\(live.rogue.port)"] + trustAD)
        #expect(viaAD.json["verdict"] as? String != "pass", "\(viaAD.text)")
        #expect(viaAD.reason == "tlsa-bogus", "\(viaAD.text)")
    }

    /// Hole 2: the TLSA question of a name in the signed child sec.dane.test answered with a
    /// referral: no answer, the child's NS and the parent's genuine signed DS for it.
    @Test func referralInPlaceOfTheTLSAIsRefused() throws {
        let live = try LiveFixture.get()
        let tlsaName: Name = "_443._tcp.www.sec.dane.test."
        let child: Name = "sec.dane.test."
        let honestProxy = try ForgingDNSProxy(upstream: live.dns.resolverAddress) { _, honest, _ in honest }
        defer { honestProxy.stop() }
        let control = try live.run(["lookup", "www.sec.dane.test", "--port", "443"] + Self.validating(live, honestProxy))
        #expect(control.status == 0 && control.json["status"] as? String == "secure", "\(control.text)")
        // `--json` names each RRset used, with its owner and its own status.
        let used = control.json["rrsets"] as? [[String: Any]] ?? []
        #expect(used.contains { $0["owner"] as? String == tlsaName.presentation && $0["type"] as? String == "TLSA"
            && $0["status"] as? String == "secure" }, "\(control.text)")
        #expect(used.contains { $0["owner"] as? String == "www.sec.dane.test." && $0["type"] as? String == "A" }, "\(control.text)")

        let proxy = try ForgingDNSProxy(upstream: live.dns.resolverAddress) { question, honest, ask in
            guard question.name == tlsaName, question.type == .tlsa, let ds = ask(Question(name: child, type: .ds)) else { return honest }
            var referral = honest
            referral.answers = []
            referral.additional = []
            referral.authority = [Record(owner: child, ttl: 300, rdata: NS("ns1.dane.test."))] + ds.answers
            return referral
        }
        defer { proxy.stop() }
        let lookup = try live.run(["lookup", "www.sec.dane.test", "--port", "443"] + Self.validating(live, proxy))
        #expect(proxy.forgedQuestions.contains("\(tlsaName.presentation) TLSA"))
        #expect(lookup.reason != "no-tlsa", "\(lookup.text)")
        #expect(lookup.reason == "tlsa-bogus", "\(lookup.text)")
        #expect(lookup.status == 3, "\(lookup.text)")
    }

    /// Hole 3: the MX of dane.test is genuine and secure; the A answer for its host has its
    /// signatures stripped. The probe must stop as a DNS failure before any STARTTLS.
    @Test func bogusAddressOfTheMXHostIsRefused() throws {
        let live = try LiveFixture.get()
        let proxy = try ForgingDNSProxy(upstream: live.dns.resolverAddress) { question, honest, _ in
            guard question.name == "mail.dane.test.", question.type == .a else { return honest }
            var forged = honest
            forged.answers = honest.answers.filter { $0.type != .rrsig }
            return forged
        }
        defer { proxy.stop() }
        let probe = try live.run(
            ["probe", "smtp", "dane.test", "--mx", "--port", "\(live.postfix.port)"] + Self.validating(live, proxy))
        #expect(proxy.forgedQuestions.contains("mail.dane.test. A"))
        #expect(probe.firstHost["reason"] as? String == "tlsa-bogus", "\(probe.text)")
        #expect(probe.firstHost["tls"] is NSNull, "\(probe.text)")
        #expect(probe.status == 3, "\(probe.text)")
    }
}
