import Foundation
import TestSupport
import Testing

/// danezone under a lowered `ulimit -n` with more TCP clients than descriptors: accept fails
/// with EMFILE, and the listener must back off (5 ms doubling to 1 s) rather than wake up for
/// the same waiting connection again and again; once descriptors are free it accepts again.
@Suite(.serialized) struct DescriptorExhaustionTests {
    @Test("EMFILE under a lowered RLIMIT_NOFILE is survived without a spin and recovered from")
    func descriptorExhaustionBacksOffAndRecovers() throws {
        let directory = try TemporaryDirectory(prefix: "danezone-emfile")
        let zone = try directory.write("example.zone", exampleZoneText)
        let server = try DanezoneServer(
            zones: [zone + ":example."], address: "127.53.5.9",
            extraArguments: ["--threads", "1", "--tcp-idle-timeout", "120", "--max-tcp-connections", "1000"],
            descriptorLimit: 40)
        // More clients than danezone has descriptors: the rest wait in its backlog.
        var clients: [RawSocket] = []
        for _ in 0..<60 {
            let client = try RawSocket(udp: false)
            try client.connect(server.address, server.port)
            clients.append(client)
        }
        _ = try server.process.waitForLine(containing: "EMFILE", in: .stderr)

        // While descriptors are exhausted and connections wait: CPU time over two seconds. A
        // listener that kept polling would spend it waking up (measured: 0.3 s of CPU and ~96,000
        // accept errors in 2 s when EMFILE did not back off; 0.0 s and 8 with the back-off).
        let errorsBefore = server.process.stderrLines.filter { $0.contains("EMFILE") }.count
        let cpuBefore = try cpuSeconds(of: server.process.pid)
        let wallStart = Date()
        Thread.sleep(forTimeInterval: 2)  // the interval measured, not a wait for readiness
        let cpuUsed = try cpuSeconds(of: server.process.pid) - cpuBefore
        let wall = Date().timeIntervalSince(wallStart)
        let errorsDuring = server.process.stderrLines.filter { $0.contains("EMFILE") }.count - errorsBefore
        #expect(cpuUsed < 0.1 * wall, "danezone used \(cpuUsed) s of CPU in \(wall) s of EMFILE")
        // Doubling back-off: at most a handful of retries (5, 10, ... 640 ms, then 1 s each).
        #expect(errorsDuring <= 12, "\(errorsDuring) accept errors in \(wall) s")
        // UDP needs no new descriptor and keeps answering.
        #expect(try Dig.query(server.address, port: server.port, "www.example.", "A").answer.count == 1)

        // The clients leave: descriptors come back, and TCP is answered again.
        clients.removeAll()
        let reply = try Dig.query(server.address, port: server.port, "www.example.", "A", tcp: true, extra: ["+tries=5"])
        #expect(reply.answer.count == 1)
        #expect(server.process.isRunning)
        server.signal(SIGTERM)
        #expect(try server.process.waitForExit(timeout: 10) == 0)
    }

    /// User plus system CPU time of process `pid` so far, from /proc/PID/stat (proc(5): fields
    /// 14 and 15, in clock ticks).
    func cpuSeconds(of pid: Int32) throws -> Double {
        let text = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
        guard let close = text.lastIndex(of: ")") else {
            throw TestSupportError(.commandFailed, "unexpected /proc/\(pid)/stat: \(text)")
        }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so field N is fields[N - 3].
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw TestSupportError(.commandFailed, "unexpected /proc/\(pid)/stat: \(text)")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
