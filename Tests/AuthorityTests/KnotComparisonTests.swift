import Foundation
import TestSupport
import Testing

/// The zone the comparison tests load into both servers, with names relative to its origin so
/// one text serves every variant (unsigned, and signed by each tool).
func comparisonZoneText(origin: String) -> String {
    """
    $ORIGIN \(origin)
    $TTL 3600
    @ IN SOA ns1 hostmaster 1 7200 3600 1209600 300
    @ NS ns1
    @ NS ns2
    ns1 A 192.0.2.1
    ns2 AAAA 2001:db8::2
    www A 192.0.2.10
    www AAAA 2001:db8::10
    @ MX 10 mail
    mail A 192.0.2.25
    mail AAAA 2001:db8::25
    _25._tcp.mail TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    _xmpp-client._tcp SRV 5 0 5222 www
    alias CNAME www
    alias2 CNAME alias
    *.wild A 192.0.2.99
    *.wild TXT "wildcard"
    a.b.c.ent A 192.0.2.50
    *.ent A 192.0.2.51
    dn DNAME c.ent
    sub NS ns.sub
    ns.sub A 192.0.2.53
    secure NS ns.secure
    ns.secure A 192.0.2.54
    secure DS 12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

    """
}

/// The questions asked of both servers, relative to the zone's origin.
let comparisonQuestions: [(name: String, type: String)] = [
    ("www", "A"), ("www", "AAAA"), ("@", "MX"), ("_25._tcp.mail", "TLSA"), ("_xmpp-client._tcp", "SRV"),
    ("alias2", "A"), ("alias", "CNAME"), ("x.wild", "A"), ("x.y.wild", "TXT"), ("x.wild", "MX"),
    ("nothing", "A"), ("www", "MX"), ("c.ent", "A"), ("zzz.ent", "A"), ("host.sub", "A"), ("host.secure", "A"),
    ("secure", "DS"), ("sub", "DS"), ("@", "DNSKEY"), ("@", "SOA"), ("@", "NS"), ("@", "NSEC3PARAM"),
    // Edge cases: deep names under empty non-terminals and existing names, the wildcard
    // itself, glue and the cut itself, a CNAME target's type.
    ("x.a.b.c.ent", "A"), ("b.c.ent", "A"), ("_tcp.mail", "TXT"), ("x.nothing.www", "A"), ("*.wild", "A"),
    ("ns.sub", "A"), ("sub", "NS"), ("secure", "NS"), ("alias", "AAAA"), ("nothing.sub", "DS"),
    // DNAME (RFC 6672): substitution into a name, into a name error, at the owner itself.
    ("a.b.dn", "A"), ("nothing.dn", "A"), ("dn", "DNAME"), ("dn", "A"),
]

/// danezone and knotd loaded with the same zone files must give the same answers, record by
/// record, ignoring order (issue 4, "Done when").
@Suite(.serialized) struct KnotComparisonTests {
    /// Writes the zone variants: unsigned, and signed by ldns-signzone (NSEC, NSEC3 with salt
    /// and an iteration), by dnssec-signzone (NSEC, NSEC3 with opt-out) and by danezone (NSEC3),
    /// each under its own origin.
    static func makeZones(in directory: TemporaryDirectory) throws -> [(origin: String, file: String)] {
        var zones: [(origin: String, file: String)] = []
        let plain = "plain.test."
        zones.append((plain, try directory.write("plain.zone", comparisonZoneText(origin: plain))))

        for (origin, nsec3) in [("ldns.test.", false), ("ldns3.test.", true)] {
            let file = try directory.write("\(origin)zone", comparisonZoneText(origin: origin))
            let ksk = try run("ldns-keygen", ["-a", "ECDSAP256SHA256", "-k", origin], currentDirectory: directory.path,
                              package: "ldnsutils").check("ldns-keygen").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let zsk = try run("ldns-keygen", ["-a", "ECDSAP256SHA256", origin], currentDirectory: directory.path,
                              package: "ldnsutils").check("ldns-keygen").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            var arguments = ["-o", origin, "-f", file + ".signed"]
            if nsec3 { arguments += ["-n", "-s", "BEEF", "-t", "1"] }
            try run("ldns-signzone", arguments + [file, ksk, zsk], currentDirectory: directory.path, package: "ldnsutils")
                .check("ldns-signzone")
            zones.append((origin, file + ".signed"))
        }

        for (origin, nsec3) in [("bind.test.", false), ("bind3.test.", true)] {
            let file = try directory.write("\(origin)zone", comparisonZoneText(origin: origin))
            for extra in [["-f", "KSK"], []] {
                try run("dnssec-keygen", ["-q", "-K", directory.path, "-a", "ECDSAP256SHA256"] + extra + [origin],
                        currentDirectory: directory.path, package: "bind9-utils").check("dnssec-keygen")
            }
            var arguments = ["-S", "-K", directory.path, "-d", directory.path, "-o", origin, "-f", file + ".signed"]
            if nsec3 { arguments += ["-3", "-", "-A"] }
            try run("dnssec-signzone", arguments + [file], currentDirectory: directory.path, package: "bind9-utils")
                .check("dnssec-signzone")
            zones.append((origin, file + ".signed"))
        }

        // And danezone's own signer (NSEC3), so knotd serves what danezone signs.
        let danezone = try builtProduct("danezone")
        let origin = "dz.test."
        let file = try directory.write("\(origin)zone", comparisonZoneText(origin: origin))
        var arguments = ["sign", "--zone", file, "--origin", origin, "--output", file + ".signed", "--nsec3", "--salt", "ABCD"]
        for extra in [["--ksk"], []] {
            let stem = try run(danezone, ["keygen", "-a", "13", "--dir", directory.path] + extra + [origin])
                .check("danezone keygen").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            arguments += ["--key", directory.file(stem)]
        }
        try run(danezone, arguments).check("danezone sign")
        zones.append((origin, file + ".signed"))
        return zones
    }

    @Test func danezoneAnswersAsKnotDoes() throws {
        let directory = try TemporaryDirectory(prefix: "danezone-knot")
        let zones = try Self.makeZones(in: directory)
        let knot = try KnotServer(zones: zones, address: "127.53.4.1", directory: directory)
        let danezone = try DanezoneServer(zones: zones.map { "\($0.file):\($0.origin)" }, address: "127.53.4.2")
        var differences: [String] = []
        for zone in zones {
            let questions = comparisonQuestions.map { question in
                (name: question.name == "@" ? zone.origin : "\(question.name).\(zone.origin)", type: question.type)
            }
            for dnssec in zone.origin == "plain.test." ? [false] : [false, true] {
                let expected = try Dig.batch(knot.address, port: knot.port, questions, dnssec: dnssec, in: directory)
                let actual = try Dig.batch(danezone.address, port: danezone.port, questions, dnssec: dnssec, in: directory)
                for (index, question) in questions.enumerated() where normalised(expected[index]) != normalised(actual[index]) {
                    differences.append(
                        "\(question.name) \(question.type) DO=\(dnssec)\n--- knotd\n\(expected[index])\n--- danezone\n\(actual[index])")
                }
            }
        }
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.joined(separator: "\n\n"))")
    }

    /// The only normalisation: owner names compare without regard to case (RFC 4343), and
    /// knotd lower-cases owners on load while danezone keeps the case of the file
    /// (dnssec-signzone writes NSEC3 hash labels in upper case). Flags other than QR, AA and
    /// TC are not about the answer.
    func normalised(_ reply: DigReply) -> DigReply {
        func lowerOwner(_ line: String) -> String {
            guard let space = line.firstIndex(of: " ") else { return line.lowercased() }
            return line[..<space].lowercased() + line[space...]
        }
        var copy = reply
        copy.flags = reply.flags.intersection(["qr", "aa", "tc"])
        copy.answer = reply.answer.map(lowerOwner).sorted()
        copy.authority = reply.authority.map(lowerOwner).sorted()
        copy.additional = reply.additional.map(lowerOwner).sorted()
        return copy
    }
}
