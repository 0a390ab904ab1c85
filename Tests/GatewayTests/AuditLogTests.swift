import Foundation
import Gateway
import TestSupport
import Testing

/// The audit log file: one write per record on O_APPEND (no torn lines), reopened for logrotate.
@Suite struct AuditLogTests {
    private func record(id: String, service: String = "mail-out", subject: String? = nil) -> AuditRecord {
        var record = AuditRecordJSONTests.verified
        record.id = id
        record.service = service
        if let subject { record.certificate?.subject = subject }
        return record
    }

    private func lines(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.isEmpty || text.hasSuffix("\n"))
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    /// Many threads, records of very different lengths (up to 64 KB, far past PIPE_BUF and a
    /// page), two AuditLog objects on the same file as two processes would have: every line is
    /// whole JSON and every record is there exactly once.
    @Test func concurrentWritersNeverTearLines() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("audit.log")
        let first = try AuditLog(path: path)
        let second = try AuditLog(path: path)
        let threads = 8
        let perThread = 500
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let log = thread % 2 == 0 ? first : second
            for index in 0..<perThread {
                let padding = String(repeating: "x", count: (index * 997 + thread * 131) % 65_536)
                log.record(record(id: "t\(thread)-\(index)", subject: padding), policy: .require)
            }
        }
        let written = try lines(path)
        #expect(written.count == threads * perThread)
        var ids = Set<String>()
        for line in written {
            let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let id = try #require(json?["id"] as? String, "torn line: \(line.prefix(80))...")
            ids.insert(id)
        }
        #expect(ids.count == threads * perThread)
        #expect(first.failedWrites == 0 && second.failedWrites == 0)
    }

    /// logrotate renames the file, then signals: records before `reopen()` follow the old file,
    /// records after it go to a fresh file at the path.
    @Test func reopenAfterRenameStartsANewFile() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("audit.log")
        let log = try AuditLog(path: path)
        log.record(record(id: "before"), policy: .require)
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        log.record(record(id: "between"), policy: .require)
        try log.reopen()
        log.record(record(id: "after"), policy: .require)

        let rotated = try lines(path + ".1")
        let current = try lines(path)
        #expect(rotated.count == 2)
        #expect(rotated[0].contains(#""id":"before""#) && rotated[1].contains(#""id":"between""#))
        #expect(current.count == 1)
        #expect(current[0].contains(#""id":"after""#))
    }

    @Test func appendsToAnExistingFileAndCreatesItPrivate() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("audit.log", "earlier line\n")
        try AuditLog(path: path).record(record(id: "new"), policy: .require)
        let written = try lines(path)
        #expect(written.count == 2 && written[0] == "earlier line")

        let fresh = folder.file("fresh.log")
        _ = try AuditLog(path: fresh)
        let attributes = try FileManager.default.attributesOfItem(atPath: fresh)
        // 0640 before the umask: never readable by others.
        #expect((attributes[.posixPermissions] as? Int ?? 0o777) & 0o007 == 0)
    }

    @Test func reopenFailureKeepsTheOldFile() throws {
        let folder = try TemporaryDirectory()
        let directory = folder.file("logs")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let path = directory + "/audit.log"
        let log = try AuditLog(path: path)
        try FileManager.default.moveItem(atPath: directory, toPath: folder.file("moved"))
        #expect(throws: (any Error).self) { try log.reopen() }
        log.record(record(id: "still-written"), policy: .require)
        #expect(try lines(folder.file("moved/audit.log")).count == 1)
    }

    @Test func unwritablePathIsAnError() {
        #expect(throws: (any Error).self) { try AuditLog(path: "/nonexistent-folder/audit.log") }
    }
}
