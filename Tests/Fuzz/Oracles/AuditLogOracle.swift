#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import Gateway

/// The oracle of the `audit-log` fuzz target (Tests/Fuzz/audit-log), also run over its corpus by
/// Tests/FuzzTests. `scripts/fuzz audit-log` compiles this file into a module named Gateway with
/// the audit log reader's files (the import is then ignored).
///
/// The input is an audit log as `danegate audit` finds it on disk: any bytes. It is written to a
/// file and read back by `AuditLogLines` with a small line limit, and every line is counted by
/// `AuditSummary`:
/// - the lines delivered are the input's lines, in order, without blank ones, and without those
///   over the limit, which are reported as overlong instead;
/// - every line counted is a record, filtered out or malformed; the groups' counts and the
///   ungrouped ones add up to the records; a group's first time is not after its last;
/// - the strings kept for a group are cut to `AuditLineFields.maximumFieldLength` bytes' worth.
public enum AuditLogOracle {
    static let lineLimit = 512

    public static func check(_ bytes: [UInt8]) throws(FuzzOracleViolation) {
        var template = Array("/tmp/danegate-fuzz-audit-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw FuzzOracleViolation("no temporary file: errno \(errno)") }
        let path = String(cString: template)
        defer { unlink(path) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count else { throw FuzzOracleViolation("short write of the temporary file") }

        var lines: [[UInt8]] = []
        var overlong = 0
        var summary = AuditSummary(filter: .init(failedOnly: bytes.first.map { $0 & 1 == 1 } ?? false))
        do {
            try AuditLogLines.forEachLine(
                path: path, maximumLineLength: lineLimit,
                line: { line in
                    lines.append(Array(line))
                    summary.add(line: line)
                }, overlong: { overlong += 1 })
        } catch {
            throw FuzzOracleViolation("reading the file failed: \(error)")
        }

        var expected = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        if expected.last == [] { expected.removeLast() }
        expected.removeAll { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D } }
        let expectedOverlong = expected.count { $0.count > lineLimit }
        expected.removeAll { $0.count > lineLimit }
        guard lines == expected else { throw FuzzOracleViolation("\(lines.count) lines delivered, \(expected.count) expected") }
        guard overlong == expectedOverlong else { throw FuzzOracleViolation("\(overlong) overlong, \(expectedOverlong) expected") }

        guard summary.records + summary.filteredOut + summary.malformedLines == lines.count else {
            throw FuzzOracleViolation("\(lines.count) lines, but the summary counted a different number")
        }
        guard summary.tallies.values.reduce(0, { $0 + $1.count }) + summary.ungrouped == summary.records else {
            throw FuzzOracleViolation("the groups do not add up to the records")
        }
        for (group, tally) in summary.tallies {
            guard tally.firstMilliseconds <= tally.lastMilliseconds else { throw FuzzOracleViolation("first after last") }
            for text in [group.service, group.target ?? "", group.reason ?? "", tally.first, tally.last]
            where text.unicodeScalars.count > AuditLineFields.maximumFieldLength {
                throw FuzzOracleViolation("a field of \(text.unicodeScalars.count) characters was kept")
            }
        }
    }
}
