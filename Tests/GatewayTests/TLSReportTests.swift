import DANE
import Foundation
import Gateway
import TestSupport
import Testing

/// `danegate audit FILE --tlsrpt --domain DOMAIN` (issue 13): an RFC 8460 §4 report that
/// validates against the RFC's schema (Tests/Vectors/rfc-derived/rfc8460-report.schema.json,
/// checked by the `jsonschema` package) and counts what the audit log holds.
@Suite struct TLSReportTests {
    private static let keyA = String(repeating: "ab", count: 32)
    private static let keyB = String(repeating: "cd", count: 32)

    private func line(
        _ target: String?, _ verdict: AuditVerdict, _ reason: AuditReason? = nil, tlsa: String? = nil,
        address: String? = "192.0.2.1:25", client: String = "127.0.0.1:40000", policy: DANEPolicy = .require,
        agoSeconds: Int64 = 60
    ) -> String {
        let time = RFC3339Time.format(millisecondsSinceEpoch: RFC3339Time.nowMilliseconds() - agoSeconds * 1000)
        let records = tlsa.map { [AuditRecord.TLSARecordSeen(usage: 3, selector: 1, matchingType: 1, data: $0, matched: verdict == .verified)] }
        return AuditRecord(
            time: time, id: "r", service: "mail", client: client, protocol: "smtp", target: target, address: address,
            tlsa: records, verdict: verdict, reason: reason
        ).jsonLine(policy: policy)
    }

    /// A log with sessions in and out of the domain, in and out of the last day.
    private func writeLog(_ folder: TemporaryDirectory) throws -> String {
        var log = ""
        for _ in 0..<3 { log += line("mx1.example.org:25", .verified, tlsa: Self.keyA) }
        log += line("MX1.Example.org.:25", .refused, .dane(.starttlsNotSupported), tlsa: Self.keyA, client: "[2001:db8::5]:1234")
        for _ in 0..<2 {
            log += line("mx2.example.org:25", .refused, .dane(.daneNoMatch), tlsa: Self.keyB, address: "[2001:db8::25]:25")
        }
        log += line("mx3.sub.example.org:25", .refused, .dane(.noTLSA), address: nil)
        log += line("mx4.example.org:25", .unauthenticated, .dane(.noTLSA), policy: .opportunistic)
        log += line("mx1.example.org:25", .error, .dane(.upstreamUnreachable), tlsa: Self.keyA)  // no TLS session
        log += line("mx1.other.net:25", .verified, tlsa: Self.keyA)
        log += line("mx1.notexample.org:25", .refused, .dane(.daneNoMatch), tlsa: Self.keyA)
        log += line("mx1.example.org:25", .refused, .dane(.daneNoMatch), tlsa: Self.keyA, agoSeconds: 3 * 86_400)
        log += line(nil, .refused, .clientNotAllowed)
        log += "not json\n"
        return try folder.write("audit.log", log)
    }

    /// `jsonschema` on `report` against RFC 8460's schema: nil when valid, else the error.
    private func schemaError(_ report: String) throws -> String? {
        let python = repositoryRootPath + "/.venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw TestSupportError(.commandFailed, "no \(python): run scripts/setup (python3-venv, jsonschema)")
        }
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
            errors = sorted(validator.iter_errors(json.loads(sys.stdin.read())), key=str)
            print("\\n".join(e.message for e in errors))
            """
        let schema = vectorsDirectory + "/rfc-derived/rfc8460-report.schema.json"
        let result = try run(python, ["-c", script, schema], input: Data(report.utf8)).check("jsonschema")
        let text = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    @Test func reportValidatesAndCountsTheLog() throws {
        let folder = try TemporaryDirectory(prefix: "danegate-tlsrpt")
        let path = try writeLog(folder)
        let danegate = try builtProduct("danegate")
        let result = try run(
            danegate,
            ["audit", path, "--tlsrpt", "--domain", "Example.org", "--organization", "Test Org", "--contact",
             "tls-reports@example.net", "--report-id", "report-1"]
        ).check("danegate audit --tlsrpt")
        #expect(try schemaError(result.stdout) == nil)
        #expect(result.stderr.contains("1 lines were not audit records"))

        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(Set(report.keys) == ["organization-name", "date-range", "contact-info", "report-id", "policies"])
        #expect(report["organization-name"] as? String == "Test Org")
        #expect(report["contact-info"] as? String == "tls-reports@example.net")
        #expect(report["report-id"] as? String == "report-1")
        let range = try #require(report["date-range"] as? [String: String])
        let start = try #require(range["start-datetime"].flatMap { RFC3339Time.parse(Array($0.utf8)) })
        let end = try #require(range["end-datetime"].flatMap { RFC3339Time.parse(Array($0.utf8)) })
        #expect(abs(end - start - 86_400_000) <= 1000, "the default --since is 24h")

        let policies = try #require(report["policies"] as? [[String: Any]])
        var byStrings: [[String]: [String: Any]] = [:]
        for policy in policies {
            let header = try #require(policy["policy"] as? [String: Any])
            #expect(header["policy-domain"] as? String == "example.org")
            byStrings[header["policy-string"] as? [String] ?? []] = policy
        }
        #expect(byStrings.count == 3)
        func summary(_ strings: [String]) -> [Int] {
            let summary = byStrings[strings]?["summary"] as? [String: Int] ?? [:]
            return [summary["total-successful-session-count"] ?? -1, summary["total-failure-session-count"] ?? -1]
        }
        func details(_ strings: [String]) -> [[String: Any]] {
            byStrings[strings]?["failure-details"] as? [[String: Any]] ?? []
        }
        let a = ["3 1 1 " + Self.keyA.uppercased()]
        let b = ["3 1 1 " + Self.keyB.uppercased()]
        #expect((byStrings[a]?["policy"] as? [String: Any])?["policy-type"] as? String == "tlsa")
        #expect(summary(a) == [3, 1])
        #expect(details(a).count == 1)
        #expect(details(a).first?["result-type"] as? String == "starttls-not-supported")
        #expect(details(a).first?["sending-mta-ip"] as? String == "2001:db8::5")
        #expect(details(a).first?["receiving-mx-hostname"] as? String == "mx1.example.org")
        #expect(details(a).first?["receiving-ip"] as? String == "192.0.2.1")
        #expect(details(a).first?["failed-session-count"] as? Int == 1)

        #expect(summary(b) == [0, 2])
        #expect(details(b).first?["result-type"] as? String == "validation-failure")
        #expect(details(b).first?["receiving-mx-hostname"] as? String == "mx2.example.org")
        #expect(details(b).first?["receiving-ip"] as? String == "2001:db8::25")
        #expect(details(b).first?["failed-session-count"] as? Int == 2)

        // No TLSA record seen: `no-policy-found`; dane-required under require, a success under
        // opportunistic (TLS went on, unauthenticated, RFC 7672 §2.2).
        #expect((byStrings[[]]?["policy"] as? [String: Any])?["policy-type"] as? String == "no-policy-found")
        #expect(summary([]) == [1, 1])
        #expect(details([]).first?["result-type"] as? String == "dane-required")
        #expect(details([]).first?["receiving-mx-hostname"] as? String == "mx3.sub.example.org")
        #expect(details([]).first?["receiving-ip"] == nil)
    }

    /// 200,000 records are reported with the memory of 1,000: the one-pass reader of
    /// `danegate audit`, and a fixed number of policies and failure details.
    @Test(.timeLimit(.minutes(5))) func largeLogInBoundedMemory() throws {
        let folder = try TemporaryDirectory(prefix: "danegate-tlsrpt")
        let danegate = try builtProduct("danegate")
        let lines = [
            line("mx1.example.org:25", .verified, tlsa: Self.keyA),
            line("mx2.example.org:25", .refused, .dane(.daneNoMatch), tlsa: Self.keyB),
            line("mx1.other.net:25", .verified, tlsa: Self.keyA),
        ]
        var peaks: [Int] = []
        for count in [1_000, 200_000] {
            let path = folder.file("audit-\(count).log")
            var text = ""
            text.reserveCapacity(lines[0].utf8.count * count)
            for index in 0..<count { text += lines[index % 3] }
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let run = try AuditCommandTests().spawn(danegate, ["audit", path, "--tlsrpt", "--domain", "example.org"], in: folder)
            #expect(run.status == 0, "\(run.stderr)")
            let thirds = (count + 2) / 3
            #expect(run.stdout.contains("\"total-successful-session-count\":\(thirds),\"total-failure-session-count\":0"))
            #expect(run.stdout.contains("\"total-successful-session-count\":0,\"total-failure-session-count\":\(count / 3 + (count % 3 > 1 ? 1 : 0))"))
            peaks.append(run.peakKiB)
        }
        print("danegate audit --tlsrpt: peak RSS \(peaks[1]) KiB for 200,000 records, \(peaks[0]) KiB for 1,000")
        #expect(peaks[0] > 0 && peaks[1] < peaks[0] + 8 * 1024)
    }

    @Test func schemaRejectsKeysBeyondTheRFCs() throws {
        let report = """
            {"organization-name":"o","date-range":{"start-datetime":"2026-01-01T00:00:00Z","end-datetime":"2026-01-02T00:00:00Z"},
             "contact-info":"a@b","report-id":"x","policies":[{"policy":{"policy-type":"tlsa","policy-string":[],"policy-domain":"d"},
             "summary":{"total-successful-session-count":1,"total-failure-session-count":0},"verdict":"verified"}]}
            """
        #expect(try schemaError(report)?.contains("verdict") == true)
        #expect(try schemaError(report.replacingOccurrences(of: ",\"verdict\":\"verified\"", with: "")) == nil)
        let badType = report.replacingOccurrences(of: ",\"verdict\":\"verified\"", with: ",\"failure-details\":[{\"result-type\":\"dane-no-match\",\"failed-session-count\":1}]")
        #expect(try schemaError(badType) != nil)
    }

    @Test func sendingIPOptionAndDefaults() throws {
        let folder = try TemporaryDirectory(prefix: "danegate-tlsrpt")
        let path = try writeLog(folder)
        let danegate = try builtProduct("danegate")
        let result = try run(danegate, ["audit", path, "--tlsrpt", "--domain", "sub.example.org", "--since", "10m", "--sending-ip", "198.51.100.7"])
            .check("danegate audit --tlsrpt")
        #expect(try schemaError(result.stdout) == nil)
        #expect(result.stdout.contains("\"sending-mta-ip\":\"198.51.100.7\""))
        #expect(result.stdout.contains("\"policy-domain\":\"sub.example.org\""))
        #expect(!result.stdout.contains("mx1.example.org"))
        let missingDomain = try run(danegate, ["audit", path, "--tlsrpt"])
        #expect(missingDomain.status != 0)
        #expect(missingDomain.stderr.contains("--domain"))
        let domainAlone = try run(danegate, ["audit", path, "--domain", "example.org"])
        #expect(domainAlone.status != 0)
        let withJSON = try run(danegate, ["audit", path, "--tlsrpt", "--domain", "example.org", "--json"])
        #expect(withJSON.status != 0)
    }
}
