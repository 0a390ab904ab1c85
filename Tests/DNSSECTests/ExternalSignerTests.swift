import DNSSEC
import DNSWire
import Foundation
import Testing
import TestSupport

/// Zones signed by other people's signers (ldns-signzone from ldnsutils, dnssec-signzone from
/// bind9-utils) validate here: every algorithm we support, NSEC and NSEC3, with answers,
/// NXDOMAIN, NODATA, empty non-terminals and an unsigned delegation. No servers: the signed
/// zone file is served from memory.
@Suite struct ExternalSignerTests {
    static let zoneText = """
        example.test. 3600 IN SOA ns.example.test. hostmaster.example.test. 1 3600 300 3600000 300
        example.test. 3600 IN NS ns.example.test.
        ns.example.test. 3600 IN A 192.0.2.1
        _25._tcp.mail.example.test. 300 IN TLSA 3 1 1 abababababababababababababababababababababababababababababababab
        mail.example.test. 3600 IN A 192.0.2.25
        sub.example.test. 3600 IN NS ns.sub.example.test.
        ns.sub.example.test. 3600 IN A 192.0.2.53

        """

    struct Signed {
        var records: [Record]
        var ds: [Record]
    }

    /// Signs the zone with ldns-signzone and a fresh key of `algorithm` (an ldns-keygen name).
    static func ldnsSigned(_ algorithm: String, nsec3: Bool) throws -> Signed {
        let folder = try TemporaryDirectory(prefix: "h6-ldns")
        let bits = algorithm.hasPrefix("RSA") ? ["-b", "1024"] : []
        let key = try run(
            "ldns-keygen", ["-a", algorithm, "-k"] + bits + ["example.test"], currentDirectory: folder.path,
            package: "ldnsutils"
        ).check("ldns-keygen").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let keyText = try String(contentsOfFile: folder.file("\(key).key"), encoding: .utf8)
        _ = try folder.write("zone", zoneText + keyText)
        let options = nsec3 ? ["-n", "-t", "5", "-s", "c0ffee"] : []
        try run("ldns-signzone", options + ["zone", key], currentDirectory: folder.path, package: "ldnsutils")
            .check("ldns-signzone")
        let signed = try String(contentsOfFile: folder.file("zone.signed"), encoding: .utf8)
        let ds = try String(contentsOfFile: folder.file("\(key).ds"), encoding: .utf8)
        return Signed(records: try VectorFiles.records(signed), ds: try VectorFiles.records(ds))
    }

    /// Signs the zone with BIND's dnssec-signzone and a fresh KSK of `algorithm`.
    static func bindSigned(_ algorithm: String, nsec3: Bool) throws -> Signed {
        let folder = try TemporaryDirectory(prefix: "h6-bind")
        let key = try run(
            "dnssec-keygen", ["-q", "-a", algorithm, "-f", "KSK", "example.test"], currentDirectory: folder.path,
            package: "bind9-utils"
        ).check("dnssec-keygen").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try folder.write("zone", zoneText + "$INCLUDE \(key).key\n")
        let options = nsec3 ? ["-3", "c0ffee", "-H", "5"] : []
        try run(
            "dnssec-signzone", options + ["-q", "-z", "-o", "example.test", "-f", "zone.signed", "zone", key],
            currentDirectory: folder.path, package: "bind9-utils"
        ).check("dnssec-signzone")
        let signed = try String(contentsOfFile: folder.file("zone.signed"), encoding: .utf8)
        let ds = try run("dnssec-dsfromkey", ["-2", "\(key).key"], currentDirectory: folder.path, package: "bind9-utils")
            .check("dnssec-dsfromkey").stdout
        return Signed(records: try VectorFiles.records(signed), ds: try VectorFiles.records(ds))
    }

    static func check(_ signed: Signed, _ label: String) async throws {
        var anchors = TrustAnchorStore()
        anchors.add(records: signed.ds)
        #expect(!anchors.isEmpty, "\(label): no DS")
        let now = UInt64(Date().timeIntervalSince1970)
        let fetcher = ZonesFetcher(["example.test.": signed.records])
        let validator = DNSSECValidator(anchors: anchors, fetcher: fetcher, clock: { now })

        let (_, tlsa) = await validator.lookup("_25._tcp.mail.example.test.", .tlsa)
        #expect(tlsa.status == .secure, "\(label) TLSA: \(tlsa)")
        #expect((tlsa.ttl ?? 0) <= 300 && (tlsa.ttl ?? 0) > 0)
        let (nx, nxResult) = await validator.lookup("nope.example.test.", .a)
        #expect(nx?.rcode == .nxDomain)
        #expect(nxResult.status == .secure, "\(label) NXDOMAIN: \(nxResult)")
        #expect((nxResult.ttl ?? 0) <= 300, "\(label): negative TTL above the SOA minimum")
        let (_, noData) = await validator.lookup("mail.example.test.", .aaaa)
        #expect(noData.status == .secure, "\(label) NODATA: \(noData)")
        let (_, ent) = await validator.lookup("_tcp.mail.example.test.", .txt)
        #expect(ent.status == .secure, "\(label) empty non-terminal: \(ent)")
        let delegation = await validator.chain(to: "www.sub.example.test.")
        #expect(delegation.status.isInsecure, "\(label) unsigned delegation: \(delegation.status)")

        // The same zone with one signature broken is bogus.
        var tampered = signed.records
        if let index = tampered.firstIndex(where: { ($0.rdata as? RRSIG)?.typeCovered == .tlsa }),
            var rrsig = tampered[index].rdata as? RRSIG
        {
            rrsig.signature[4] ^= 0x10
            tampered[index].rdata = rrsig
        }
        let broken = DNSSECValidator(anchors: anchors, fetcher: ZonesFetcher(["example.test.": tampered]), clock: { now })
        let (_, bogus) = await broken.lookup("_25._tcp.mail.example.test.", .tlsa)
        #expect(bogus.status.isBogus, "\(label) tampered: \(bogus)")
    }

    static let algorithms = ["RSASHA256", "RSASHA512", "ECDSAP256SHA256", "ECDSAP384SHA384", "ED25519", "ED448"]

    @Test(arguments: algorithms)
    func ldnsSignedZones(algorithm: String) async throws {
        for nsec3 in [false, true] {
            try await Self.check(try Self.ldnsSigned(algorithm, nsec3: nsec3), "ldns \(algorithm) \(nsec3 ? "NSEC3" : "NSEC")")
        }
    }

    /// An opt-out NSEC3 chain (ldns-signzone -p): the unsigned delegation is left out of the
    /// chain, so its insecurity rests on the opt-out span (RFC 5155 §6).
    @Test func ldnsOptOutZone() async throws {
        let folder = try TemporaryDirectory(prefix: "h6-optout")
        let key = try run(
            "ldns-keygen", ["-a", "ECDSAP256SHA256", "-k", "example.test"], currentDirectory: folder.path, package: "ldnsutils"
        ).check("ldns-keygen").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try folder.write("zone", Self.zoneText + (try String(contentsOfFile: folder.file("\(key).key"), encoding: .utf8)))
        try run("ldns-signzone", ["-n", "-p", "zone", key], currentDirectory: folder.path, package: "ldnsutils")
            .check("ldns-signzone")
        let records = try VectorFiles.records(try String(contentsOfFile: folder.file("zone.signed"), encoding: .utf8))
        #expect(records.contains { ($0.rdata as? NSEC3)?.isOptOut == true })
        var anchors = TrustAnchorStore()
        anchors.add(records: try VectorFiles.records(try String(contentsOfFile: folder.file("\(key).ds"), encoding: .utf8)))
        let now = UInt64(Date().timeIntervalSince1970)
        let validator = DNSSECValidator(anchors: anchors, fetcher: ZonesFetcher(["example.test.": records]), clock: { now })
        let (_, tlsa) = await validator.lookup("_25._tcp.mail.example.test.", .tlsa)
        #expect(tlsa.status == .secure, "\(tlsa)")
        let delegation = await validator.chain(to: "www.sub.example.test.")
        #expect(delegation.status.isInsecure, "\(delegation.status)")
    }

    @Test(arguments: ["ECDSAP256SHA256", "ED25519"])
    func bindSignedZones(algorithm: String) async throws {
        for nsec3 in [false, true] {
            try await Self.check(try Self.bindSigned(algorithm, nsec3: nsec3), "BIND \(algorithm) \(nsec3 ? "NSEC3" : "NSEC")")
        }
    }
}
