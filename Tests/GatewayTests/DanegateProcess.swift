import Foundation
import TestSupport

/// The real `danegate --config FILE` binary on loopback, resolving through the test hierarchy's
/// validating unbound (`dnssec = trust-ad`), with its audit log and configuration in a scratch
/// folder the test can rewrite before a SIGHUP.
final class DanegateProcess {
    let scratch: TemporaryDirectory
    let process: PeerProcess
    let configPath: String
    let auditPath: String
    /// `LISTEN name ADDR:PORT` as printed at start.
    let ports: [String: UInt16]

    /// `services` are the `[section]`s (each with its keys); `global` adds global keys.
    /// `openFiles` runs it under `ulimit -n` (through sh, which execs it: the PID is danegate's).
    init(
        services: String, global: String = "", dns: DANEHierarchy, notifySocket: String? = nil,
        openFiles: Int? = nil, validating: Bool = false
    ) throws {
        scratch = try TemporaryDirectory(prefix: "danegate-ops")
        auditPath = scratch.file("audit.jsonl")
        configPath = scratch.file("danegate.conf")
        try Self.write(
            configPath,
            Self.configuration(global: global, services: services, dns: dns, audit: auditPath, validating: validating))
        let danegate = try builtProduct("danegate")
        let environment = notifySocket.map { ["NOTIFY_SOCKET": $0] } ?? [:]
        if let openFiles {
            process = try PeerProcess(
                "sh", ["-c", "ulimit -n \(openFiles) && exec \"$0\" --config \"$1\"", danegate, configPath],
                environment: environment)
        } else {
            process = try PeerProcess(danegate, ["--config", configPath], environment: environment)
        }
        var ports: [String: UInt16] = [:]
        let names = services.split(separator: "\n").filter { $0.hasPrefix("[") }.map { $0.dropFirst().dropLast() }
        for name in names {
            let groups = try process.waitForMatch(#"LISTEN \#(name) 127\.0\.0\.1:(\d+)"#, in: .stdout)
            ports[String(name)] = UInt16(groups[1])
        }
        self.ports = ports
    }

    /// `validating`: validate in process from the hierarchy's trust anchor instead of trusting
    /// unbound's AD bit.
    static func configuration(
        global: String, services: String, dns: DANEHierarchy, audit: String, validating: Bool = false
    ) -> String {
        """
        resolver = \(dns.resolverAddress)
        \(validating ? "trust-anchor = \(dns.anchorFile)" : "dnssec = trust-ad")
        audit-log = \(audit)
        \(global)

        \(services)
        """
    }

    static func write(_ path: String, _ text: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func port(_ service: String) -> UInt16 { ports[service] ?? 0 }

    func signal(_ number: Int32) { kill(process.pid, number) }

    /// The CPU time the process used so far, in clock ticks (utime + stime of /proc/PID/stat).
    func cpuTicks() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(process.pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return 0 }
        // Fields after the command name: state is field 3; utime and stime are 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12 else { return 0 }
        return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
    }

    /// The audit log's records, each as a dictionary.
    func auditRecords() -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: auditPath, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// Waits (polling) for at least `count` audit records.
    func waitForAudit(count: Int, timeout: TimeInterval = 60) throws -> [[String: Any]] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let records = auditRecords()
            if records.count >= count { return records }
            usleep(50_000)
        }
        throw TestSupportError(.timedOut, "fewer than \(count) audit records in \(timeout) s:\n\(process.transcript)")
    }
}

/// A client that sends `BYTES` of a fixed pattern to `HOST PORT` (an echo service behind the
/// gateway), reads the same number back and checks every byte; `PACE_MS` between 64 KiB chunks
/// makes a slow transfer. Prints `STARTED` once the first echoed bytes are back, then
/// `RECEIVED n INTACT` or `RECEIVED n BROKEN`.
let echoTransferScript = #"""
import socket, sys, threading, time
host, port, total, pace = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]) / 1000
pattern = bytes(range(251)) * 4200  # longer than one recv, from any offset
chunk = 65536
sock = socket.create_connection((host, port), timeout=120)
def send():
    sent = 0
    while sent < total:
        n = min(chunk, total - sent)
        offset = sent % 251
        sock.sendall(pattern[offset:offset + n])
        sent += n
        if pace: time.sleep(pace)
threading.Thread(target=send, daemon=True).start()
received, intact, started = 0, True, False
while received < total:
    data = sock.recv(1 << 20)
    if not data: break
    offset = received % 251
    if data != pattern[offset:offset + len(data)]:
        intact = False
    received += len(data)
    if not started:
        started = True
        print("STARTED", flush=True)
print("RECEIVED %d %s" % (received, "INTACT" if intact and received == total else "BROKEN"), flush=True)
"""#
