import Foundation
import Gateway
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `danegate audit` as a program: exit status, JSON and table output, and a log of a million
/// lines read with the memory of a small one.
@Suite struct AuditCommandTests {
    /// What a finished child left: status, stdout, and its peak resident set (VmHWM) in KiB.
    struct Finished {
        var status: Int32
        var stdout: String
        var stderr: String
        var peakKiB: Int
    }

    /// Runs `program` with its output in files (a pipe would need a reader thread).
    func spawn(_ program: String, _ arguments: [String], in folder: TemporaryDirectory) throws -> Finished {
        let stdoutPath = folder.file("stdout-\(UUID().uuidString)")
        let stderrPath = folder.file("stderr-\(UUID().uuidString)")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, program, &actions, nil, argv, environ)
        guard status == 0 else { throw TestSupportError(.launchFailed, "posix_spawn \(program): \(status)") }
        // VmHWM is read from /proc while the child runs, until it exits. Not wait4's ru_maxrss:
        // posix_spawn starts the child with vfork, and Linux carries the parent's (this test
        // process's) peak over the exec into the child's ru_maxrss. VmHWM belongs to the
        // child's own address space; it only grows, so the last reading is within one poll of
        // the peak, and memory that grew with the log would show long before the end.
        var peakKiB = 0
        var waitStatus: Int32 = 0
        while true {
            if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                let kib = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).dropLast(3))
            {
                peakKiB = max(peakKiB, kib)
            }
            let reaped = waitpid(pid, &waitStatus, WNOHANG)
            if reaped == pid { break }
            guard reaped == 0 || errno == EINTR else { throw TestSupportError(.systemCall, "waitpid: \(errno)") }
            usleep(5_000)
        }
        let exited = waitStatus & 0x7F == 0
        return Finished(
            status: exited ? (waitStatus >> 8) & 0xFF : -1,
            stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "",
            peakKiB: peakKiB)
    }

    /// Writes `lines` generated audit lines (cycling through AuditSummaryTests.groups, one
    /// malformed line every 100,000) and returns the expected count per group.
    private func writeLog(_ path: String, lines: Int) throws -> (counts: [Int], malformed: Int) {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path)
        else { throw TestSupportError(.systemCall, "cannot create \(path)") }
        defer { try? handle.close() }
        // The records differ only in time: split each group's line at its time once.
        let templates = AuditSummaryTests.groups.indices.map { group -> (String, String) in
            let line = AuditSummaryTests.line(group: group, offset: 0)
            let time = RFC3339Time.format(millisecondsSinceEpoch: AuditSummaryTests.start)
            let parts = line.components(separatedBy: time)
            return (parts[0], parts[1])
        }
        var counts = [Int](repeating: 0, count: templates.count)
        var malformed = 0
        var buffer = ""
        buffer.reserveCapacity(1 << 21)
        for index in 0..<lines {
            let group = index % 7 == 6 ? (index / 7) % 7 : index % 7
            counts[group] += 1
            let (head, tail) = templates[group]
            buffer += head + RFC3339Time.format(millisecondsSinceEpoch: AuditSummaryTests.start + Int64(index)) + tail
            if index % 100_000 == 99_999 {
                buffer += "{\"truncated\":\n"
                malformed += 1
            }
            if buffer.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: Data(buffer.utf8))
        return (counts, malformed)
    }

    private func checkJSON(_ output: String, counts: [Int], lines: Int) throws {
        let array = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
        #expect(array.count == AuditSummaryTests.groups.count)
        for (index, entry) in AuditSummaryTests.groups.enumerated() {
            let row = array.first {
                $0["service"] as? String == entry.service && ($0["target"] as? String) == entry.target
                    && $0["verdict"] as? String == entry.verdict.rawValue
                    && ($0["reason"] as? String) == entry.reason?.description
            }
            #expect(row?["count"] as? Int == counts[index], "group \(entry)")
        }
        let total = array.compactMap { $0["count"] as? Int }.reduce(0, +)
        #expect(total == lines)
    }

    /// A million lines (about 190 MB) in one pass: the right count for every group, the
    /// malformed lines reported, and a peak memory no larger than for a thousand lines plus a
    /// little: memory does not grow with the log.
    @Test(.timeLimit(.minutes(5))) func millionLinesInBoundedMemory() throws {
        let folder = try TemporaryDirectory()
        let danegate = try builtProduct("danegate")

        let small = folder.file("small.log")
        let smallExpected = try writeLog(small, lines: 1000)
        let smallRun = try spawn(danegate, ["audit", small, "--json"], in: folder)
        #expect(smallRun.status == 0, "\(smallRun.stderr)")
        try checkJSON(smallRun.stdout, counts: smallExpected.counts, lines: 1000)

        let large = folder.file("large.log")
        let expected = try writeLog(large, lines: 1_000_000)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: large)[.size] as? Int)
        let run = try spawn(danegate, ["audit", large, "--json"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        try checkJSON(run.stdout, counts: expected.counts, lines: 1_000_000)
        #expect(run.stderr == "\(expected.malformed) malformed lines skipped\n")

        print("danegate audit: \(size / 1_048_576) MiB log, peak RSS \(run.peakKiB) KiB (1000 lines: \(smallRun.peakKiB) KiB)")
        #expect(smallRun.peakKiB > 0 && run.peakKiB > 0)
        #expect(run.peakKiB < smallRun.peakKiB + 8 * 1024, "peak \(run.peakKiB) KiB vs \(smallRun.peakKiB) KiB")
        #expect(run.peakKiB < 64 * 1024)
        #expect(size > 100 * 1_048_576)
    }

    @Test func tableFailedAndSince() throws {
        let folder = try TemporaryDirectory()
        let path = folder.file("audit.log")
        var text = ""
        // Three records now, one an hour ago: --since 30m keeps the three.
        let now = RFC3339Time.nowMilliseconds()
        for (offset, group) in [(0, 1), (-1000, 1), (-2000, 0), (-3_600_000, 2)] {
            text += AuditSummaryTests.line(group: group, offset: now + Int64(offset) - AuditSummaryTests.start)
        }
        text += "garbage\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let danegate = try builtProduct("danegate")

        let table = try run(danegate, ["audit", path])
        #expect(table.status == 0)
        let rows = table.stdout.split(separator: "\n").map(String.init)
        #expect(rows.first?.split(separator: " ", omittingEmptySubsequences: true) == [
            "SERVICE", "TARGET", "VERDICT", "REASON", "COUNT", "FIRST", "LAST",
        ])
        #expect(rows[1].contains("mx2.example.org:25") && rows[1].contains("dane-no-match") && rows[1].contains(" 2 "))
        #expect(rows.last == "4 records in 3 groups; 1 malformed lines skipped")

        let failed = try run(danegate, ["audit", path, "--failed", "--since", "30m", "--json"])
        #expect(failed.status == 0)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(failed.stdout.utf8)) as? [[String: Any]])
        #expect(array.count == 1)
        #expect(array.first?["count"] as? Int == 2)
        #expect(array.first?["reason"] as? String == "dane-no-match")
        #expect(failed.stderr == "1 malformed lines skipped\n")

        let badSince = try run(danegate, ["audit", path, "--since", "soon"])
        #expect(badSince.status != 0)
        #expect(badSince.stderr.contains("--since: expected a duration"))

        let missing = try run(danegate, ["audit", folder.file("none.log")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("No such file or directory"))
    }
}
