import DANE
import Foundation
import Gateway
import Testing

/// The audit line (issue 11): exactly 19 keys in the issue's order, null where unknown.
@Suite struct AuditRecordJSONTests {
    static let issueKeys = [
        "time", "id", "service", "client", "protocol", "target", "address", "tlsaName", "dnssec", "tlsa", "tls",
        "certificate", "match", "verdict", "reason", "tlsrpt", "bytesUp", "bytesDown", "durationMs",
    ]

    static let verified = AuditRecord(
        time: "2026-12-04T16:32:42.123Z", id: "c42", service: "mail-out", client: "127.0.0.1:40112", protocol: "smtp",
        target: "mail.example.org:25", address: "192.0.2.1:25", tlsaName: "_25._tcp.mail.example.org", dnssec: "secure",
        tlsa: [
            .init(usage: 3, selector: 1, matchingType: 1, data: String(repeating: "ab", count: 32), matched: true),
            .init(usage: 2, selector: 0, matchingType: 1, data: String(repeating: "cd", count: 32), matched: false),
        ],
        tls: .init(version: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384", sni: "mail.example.org"),
        certificate: .init(
            sha256: String(repeating: "01", count: 32), spkiSha256: String(repeating: "ab", count: 32),
            subject: "CN=mail.example.org", notAfter: "2027-01-01T00:00:00Z"),
        match: .init(usage: 3, selector: 1, matchingType: 1, depth: 0), verdict: .verified, reason: nil, bytesUp: 1234,
        bytesDown: 5678, durationMs: 91)

    static let refusedEarly = AuditRecord(
        time: "2026-12-04T16:32:43.000Z", id: "c43", service: "mail-out", client: "127.0.0.1:40114", protocol: "smtp",
        verdict: .refused, reason: .dane(.tlsaBogus))

    /// The top-level keys of a line in the order they appear, read with a scanner that skips
    /// nested values (JSONSerialization forgets the order).
    private func topLevelKeys(_ line: String) -> [String] {
        var keys: [String] = []
        var depth = 0
        var inString = false
        var escaped = false
        var current = ""
        var expectingKey = false
        for character in line {
            if inString {
                if escaped { escaped = false; current.append(character); continue }
                if character == "\\" { escaped = true; continue }
                if character == "\"" {
                    inString = false
                    if expectingKey && depth == 1 { keys.append(current) }
                    continue
                }
                current.append(character)
                continue
            }
            switch character {
            case "\"": inString = true; current = ""
            case "{", "[": depth += 1; expectingKey = character == "{" && depth == 1
            case "}", "]": depth -= 1
            case ",": expectingKey = depth == 1
            case ":": if depth == 1 { expectingKey = false }
            default: break
            }
        }
        return keys
    }

    private func object(_ line: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(value as? [String: Any])
    }

    @Test func keysAreTheIssuesNineteenInOrder() {
        #expect(AuditRecord.jsonKeys == Self.issueKeys)
        #expect(topLevelKeys(Self.verified.jsonLine(policy: .require)) == Self.issueKeys)
        #expect(topLevelKeys(Self.refusedEarly.jsonLine(policy: .require)) == Self.issueKeys)
    }

    @Test func unknownValuesAreNullNotMissing() throws {
        let line = Self.refusedEarly.jsonLine(policy: .require)
        let json = try object(line)
        #expect(Set(json.keys) == Set(Self.issueKeys))
        for key in ["target", "address", "tlsaName", "dnssec", "tlsa", "tls", "certificate", "match"] {
            #expect(json[key] is NSNull, "\(key) should be null")
        }
        #expect(json["reason"] as? String == "tlsa-bogus")
        #expect(json["tlsrpt"] as? String == "dnssec-invalid")
        #expect(json["verdict"] as? String == "refused")
        #expect(json["bytesUp"] as? Int == 0)
    }

    @Test func verifiedRecordCarriesEveryDetail() throws {
        let line = Self.verified.jsonLine(policy: .require)
        #expect(line.hasSuffix("}\n"))
        #expect(line.dropLast().contains("\n") == false)
        let json = try object(line)
        #expect(json["reason"] is NSNull)
        #expect(json["tlsrpt"] is NSNull)
        let tlsa = try #require(json["tlsa"] as? [[String: Any]])
        #expect(tlsa.count == 2)
        #expect(Set(tlsa[0].keys) == ["usage", "selector", "matchingType", "data", "matched"])
        #expect(tlsa[0]["matched"] as? Bool == true)
        #expect(tlsa[1]["usage"] as? Int == 2)
        let tls = try #require(json["tls"] as? [String: Any])
        #expect(Set(tls.keys) == ["version", "cipher", "sni"])
        #expect(tls["cipher"] as? String == "TLS_AES_256_GCM_SHA384")
        let certificate = try #require(json["certificate"] as? [String: Any])
        #expect(Set(certificate.keys) == ["sha256", "spkiSha256", "subject", "notAfter"])
        let match = try #require(json["match"] as? [String: Any])
        #expect(Set(match.keys) == ["usage", "selector", "matchingType", "depth"])
        #expect(match["depth"] as? Int == 0)
        #expect(json["durationMs"] as? Int == 91)
        #expect(json["time"] as? String == "2026-12-04T16:32:42.123Z")
    }

    @Test func nestedNullsAreWrittenToo() throws {
        var record = Self.verified
        record.tls = .init(version: "TLSv1.2", cipher: "ECDHE-RSA-AES128-GCM-SHA256", sni: nil)
        record.certificate = .init(sha256: "00", spkiSha256: "11", subject: nil, notAfter: nil)
        let json = try object(record.jsonLine(policy: .audit))
        let tls = try #require(json["tls"] as? [String: Any])
        #expect(tls["sni"] is NSNull)
        let certificate = try #require(json["certificate"] as? [String: Any])
        #expect(certificate["subject"] is NSNull)
        #expect(certificate["notAfter"] is NSNull)
    }

    /// A newline or quote in a value (a subject, a client-controlled name) must not end the
    /// record or break its JSON.
    @Test func hostileStringsStayInsideOneLine() throws {
        var record = Self.verified
        let hostile = "CN=evil\n{\"verdict\":\"verified\"}\r\t\u{0}\u{1F}\\\u{2028}é"
        record.certificate?.subject = hostile
        let line = record.jsonLine(policy: .require)
        #expect(line.filter { $0 == "\n" }.count == 1)
        let json = try object(line)
        let certificate = try #require(json["certificate"] as? [String: Any])
        #expect(certificate["subject"] as? String == hostile)
        #expect(json["verdict"] as? String == "verified")
    }

    /// Issue 11's RFC 8460 mapping, and no-tlsa/tlsa-insecure only under `require`.
    @Test(arguments: [
        (AuditReason.dane(.daneNoMatch), DANEPolicy.require, "validation-failure"),
        (.dane(.daneNameMismatch), .require, "certificate-host-mismatch"),
        (.dane(.tlsaUnusable), .require, "tlsa-invalid"),
        (.dane(.tlsaBogus), .require, "dnssec-invalid"),
        (.dane(.tlsaLookupFailed), .opportunistic, "dnssec-invalid"),
        (.dane(.noTLSA), .require, "dane-required"),
        (.dane(.tlsaInsecure), .require, "dane-required"),
        (.dane(.starttlsNotSupported), .require, "starttls-not-supported"),
    ])
    func tlsrptMapping(reason: AuditReason, policy: DANEPolicy, expected: String) throws {
        let record = AuditRecord(
            time: "2026-12-04T00:00:00.000Z", id: "x", service: "s", client: "127.0.0.1:1", protocol: "smtp",
            verdict: .refused, reason: reason)
        #expect(try object(record.jsonLine(policy: policy))["tlsrpt"] as? String == expected)
    }

    @Test(arguments: [
        (AuditReason.dane(.noTLSA), DANEPolicy.opportunistic), (.dane(.tlsaInsecure), .audit),
        (.dane(.timeout), .require), (.dane(.upstreamUnreachable), .require), (.clientNotAllowed, .require),
        (.dane(.starttlsInjection), .require), (.dane(.mxInsecure), .require),
    ])
    func tlsrptNullOtherwise(reason: AuditReason, policy: DANEPolicy) throws {
        let record = AuditRecord(
            time: "2026-12-04T00:00:00.000Z", id: "x", service: "s", client: "127.0.0.1:1", protocol: "smtp",
            verdict: .unauthenticated, reason: reason)
        let json = try object(record.jsonLine(policy: policy))
        #expect(json["tlsrpt"] is NSNull)
        #expect(json["reason"] as? String == reason.description)
    }
}
