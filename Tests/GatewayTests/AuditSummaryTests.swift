import DANE
import Foundation
@testable import Gateway
import TestSupport
import Testing

/// `danegate audit`: counts by service, target, verdict and reason, in one pass with bounded
/// memory; malformed lines counted, never fatal.
@Suite struct AuditSummaryTests {
    /// The groups the generated logs cycle through.
    static let groups: [(service: String, target: String?, verdict: AuditVerdict, reason: AuditReason?)] = [
        ("mail", "mx1.example.org:25", .verified, nil),
        ("mail", "mx2.example.org:25", .refused, .dane(.daneNoMatch)),
        ("mail", "mx2.example.org:25", .refused, .dane(.tlsaBogus)),
        ("chat", "xmpp.example.org:5222", .unauthenticated, .dane(.noTLSA)),
        ("chat", nil, .refused, .clientNotAllowed),
        ("web", "www.example.com:443", .verified, nil),
        ("web", "www.example.com:443", .error, .dane(.upstreamUnreachable)),
    ]
    static let start: Int64 = 1_796_000_000_000  // 2026-11-30T00:53:20Z

    /// The audit line of group `group` at `start + offset` milliseconds.
    static func line(group: Int, offset: Int64) -> String {
        let entry = groups[group]
        let record = AuditRecord(
            time: RFC3339Time.format(millisecondsSinceEpoch: start + offset), id: "c\(offset)", service: entry.service,
            client: "127.0.0.1:4000", protocol: "smtp", target: entry.target, verdict: entry.verdict,
            reason: entry.reason, bytesUp: 10, bytesDown: 20, durationMs: 3)
        return record.jsonLine(policy: .require)
    }

    /// Lines that are not records, each of a different kind.
    static let malformed = [
        "not json at all",
        #"{"time":"2026-12-01T00:00:00.000Z","service":"mail","target":null,"verdict":"verified","reason":null"#,
        #"{"time":"2026-12-01T00:00:00.000Z","service":"mail","target":null,"verdict":"maybe","reason":null}"#,
        #"{"time":"yesterday","service":"mail","target":null,"verdict":"verified","reason":null}"#,
        #"{"time":"2026-02-30T00:00:00Z","service":"mail","target":null,"verdict":"verified","reason":null}"#,
        #"{"service":"mail","target":null,"verdict":"verified","reason":null}"#,
        #"{"time":"2026-12-01T00:00:00Z","service":"mail","verdict":"verified","reason":null}"#,
        #"["time","service"]"#,
        #"{"time":"2026-12-01T00:00:00Z","service":"m\x","target":null,"verdict":"verified","reason":null}"#,
        #"{"time":"2026-12-01T00:00:00Z","service":"mail","target":null,"verdict":"verified","reason":null} trailing"#,
        #"{"deep":"# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}",
        "{\"time\":\"2026-12-01T00:00:00Z\",\"service\":\"\u{1}\",\"target\":null,\"verdict\":\"verified\",\"reason\":null}",
    ]

    @Test func countsGroupsAndReportsMalformedLines() throws {
        let folder = try TemporaryDirectory()
        var text = ""
        var expected = [Int](repeating: 0, count: Self.groups.count)
        for index in 0..<700 {
            let group = (index * 3) % Self.groups.count
            expected[group] += 1
            text += Self.line(group: group, offset: Int64(index) * 1000)
            if index % 60 == 0 { text += Self.malformed[(index / 60) % Self.malformed.count] + "\n" }
        }
        text += String(repeating: "z", count: AuditSummary.maximumLineLength + 10) + "\n"  // too long
        text += "\n   \n"  // blank lines are not malformed
        text += String(Self.line(group: 0, offset: 999_999).dropLast())  // the last line without its newline
        expected[0] += 1
        let path = try folder.write("audit.log", text)

        let summary = try AuditSummary.summarize(path: path)
        #expect(summary.records == 701)
        #expect(summary.malformedLines == 12 + 1)
        #expect(summary.tallies.count == Self.groups.count)
        for (index, entry) in Self.groups.enumerated() {
            let group = AuditSummary.Group(
                service: entry.service, target: entry.target, verdict: entry.verdict, reason: entry.reason?.description)
            #expect(summary.tallies[group]?.count == expected[index], "group \(entry)")
        }
        let first = try #require(summary.tallies[AuditSummary.Group(
            service: "mail", target: "mx1.example.org:25", verdict: .verified, reason: nil)])
        #expect(first.first == RFC3339Time.format(millisecondsSinceEpoch: Self.start))
        #expect(first.last == RFC3339Time.format(millisecondsSinceEpoch: Self.start + 999_999))
    }

    /// A fuzzer finding (Tests/Fuzz/audit-log/corpus/long-fields, overlong-line): a line over the
    /// limit that lay inside one read chunk was delivered, not reported as overlong; only lines
    /// spanning chunks were measured.
    @Test func aLineOverTheLimitInsideOneChunkIsOverlong() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("audit.log", "short\n" + String(repeating: "x", count: 11) + "\nten bytes!\n")
        var lines: [String] = []
        var overlong = 0
        try AuditLogLines.forEachLine(
            path: path, maximumLineLength: 10, line: { lines.append(String(decoding: $0, as: UTF8.self)) },
            overlong: { overlong += 1 })
        #expect(lines == ["short", "ten bytes!"])
        #expect(overlong == 1)
    }

    @Test func failedAndSinceFilter() throws {
        let folder = try TemporaryDirectory()
        var text = ""
        for index in 0..<70 { text += Self.line(group: index % Self.groups.count, offset: Int64(index) * 60_000) }
        let path = try folder.write("audit.log", text)

        let failed = try AuditSummary.summarize(path: path, filter: .init(failedOnly: true))
        #expect(failed.records == 50)
        #expect(failed.filteredOut == 20)
        #expect(failed.tallies.keys.allSatisfy { $0.verdict != .verified })

        // The last 10 minutes of the log: offsets 60 to 69 minutes.
        let since = try AuditSummary.summarize(path: path, filter: .init(sinceMilliseconds: Self.start + 60 * 60_000))
        #expect(since.records == 10)
        #expect(since.filteredOut == 60)
    }

    @Test func groupCountIsCapped() throws {
        let folder = try TemporaryDirectory()
        var text = ""
        let extra = 50
        for index in 0..<(AuditSummary.maximumGroups + extra) {
            text += #"{"time":"2026-12-01T00:00:00Z","service":"s\#(index)","target":null,"verdict":"refused","reason":"timeout"}"#
            text += "\n"
        }
        let path = try folder.write("audit.log", text)
        let summary = try AuditSummary.summarize(path: path)
        #expect(summary.tallies.count == AuditSummary.maximumGroups)
        #expect(summary.ungrouped == extra)
        #expect(summary.records == AuditSummary.maximumGroups + extra)
        #expect(AuditReport.table(summary).contains("\(extra) records beyond the limit of 10000 groups not grouped"))
    }

    /// Every prefix of a record is either the record or malformed: never a trap.
    @Test func everyPrefixOfALineIsHandled() {
        let line = Array(AuditRecordJSONTests.verified.jsonLine(policy: .require).utf8.dropLast())
        for length in 0..<line.count {
            #expect(AuditLineFields(line: line[0..<length]) == nil)
        }
        let whole = AuditLineFields(line: line)
        #expect(whole?.service == "mail-out" && whole?.verdict == .verified && whole?.target == "mail.example.org:25")
    }

    @Test func jsonReportShape() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("audit.log", Self.line(group: 1, offset: 0) + Self.line(group: 1, offset: 5000))
        let report = AuditReport.json(try AuditSummary.summarize(path: path))
        let array = try #require(try JSONSerialization.jsonObject(with: Data(report.utf8)) as? [[String: Any]])
        #expect(array.count == 1)
        #expect(Set(array[0].keys) == ["service", "target", "verdict", "reason", "count", "first", "last"])
        #expect(array[0]["count"] as? Int == 2)
        #expect(array[0]["reason"] as? String == "dane-no-match")
        #expect(array[0]["first"] as? String == "2026-11-30T00:53:20.000Z")
        #expect(array[0]["last"] as? String == "2026-11-30T00:53:25.000Z")
        #expect(AuditReport.json(AuditSummary()) == "[]\n")
    }

    @Test func rfc3339() {
        #expect(RFC3339Time.format(millisecondsSinceEpoch: 0) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339Time.format(millisecondsSinceEpoch: 951_782_400_123) == "2000-02-29T00:00:00.123Z")
        #expect(RFC3339Time.parse(Array("2000-02-29T00:00:00.123Z".utf8)) == 951_782_400_123)
        #expect(RFC3339Time.parse(Array("2000-02-29T01:30:00+01:30".utf8)) == 951_782_400_000)
        #expect(RFC3339Time.parse(Array("2000-02-28t23:00:00.5-01:00".utf8)) == 951_782_400_500)
        #expect(RFC3339Time.parse(Array("2000-02-29T00:00:00.123456789Z".utf8)) == 951_782_400_123)
        for bad in ["2001-02-29T00:00:00Z", "2000-13-01T00:00:00Z", "2000-01-01T24:00:00Z", "2000-01-01T00:00:00",
                    "2000-01-01T00:00:00.Z", "2000-01-01T00:00:00Zx", "2000-01-01", ""] {
            #expect(RFC3339Time.parse(Array(bad.utf8)) == nil, "\(bad)")
        }
        let now = RFC3339Time.nowMilliseconds()
        #expect(RFC3339Time.parse(Array(RFC3339Time.format(millisecondsSinceEpoch: now).utf8)) == now)
    }
}
