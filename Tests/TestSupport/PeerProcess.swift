import Foundation

/// A long-running peer (a server under test) started as a child process. Its stdout and stderr are
/// collected line by line; tests wait for a readiness line by polling. The child is killed with
/// SIGKILL by PID (a Foundation child can inherit a blocked SIGTERM) on `kill()` or deinit.
public final class PeerProcess: @unchecked Sendable {
    /// Which output a wait looks at.
    public enum Stream: Sendable {
        case stdout, stderr, either
    }

    private let process: ChildProcess
    private let out: OutputCollector
    private let err: OutputCollector
    private let commandLine: String
    /// A pipe to the child's stdin, for peers that read commands (`openssl s_server` does).
    private let input: FileHandle

    /// The child's process id.
    public var pid: Int32 { process.pid }

    /// Starts `program` (looked up on PATH, or a path) with `arguments`. `environment` adds to the
    /// inherited one. A missing program throws an error naming `package`.
    public init(
        _ program: String, _ arguments: [String], package: String? = nil,
        environment: [String: String] = [:], currentDirectory: String? = nil
    ) throws {
        let executable = try requireProgram(program, package: package ?? program)
        let commandLine = ([executable] + arguments).joined(separator: " ")
        self.commandLine = commandLine
        do {
            process = try ChildProcess(executable, arguments, environment: environment, currentDirectory: currentDirectory)
        } catch {
            throw TestSupportError(.launchFailed, "cannot start \(commandLine): \(error)")
        }
        input = process.stdin
        out = OutputCollector(reading: process.stdout)
        err = OutputCollector(reading: process.stderr)
    }

    deinit {
        kill()
    }

    /// True while the child has not exited.
    public var isRunning: Bool { process.isRunning }

    /// The exit status once the child has exited (nil while running).
    public var exitStatus: Int32? { process.isRunning ? nil : process.terminationStatus }

    /// Lines the child wrote to stdout so far.
    public var stdoutLines: [String] { out.lines }
    /// Lines the child wrote to stderr so far.
    public var stderrLines: [String] { err.lines }
    /// Everything the child wrote to stdout so far, as bytes.
    public var stdoutData: Data { out.data }

    /// Lines of the chosen stream(s).
    public func lines(_ stream: Stream = .either) -> [String] {
        switch stream {
        case .stdout: return out.lines
        case .stderr: return err.lines
        case .either: return out.lines + err.lines
        }
    }

    /// Waits (polling) for a line for which `predicate` is true and returns it. Throws if the child
    /// exits first or the timeout passes; the error carries the output seen so far.
    @discardableResult
    public func waitForLine(
        in stream: Stream = .either, timeout: TimeInterval = 10,
        matching predicate: (String) -> Bool
    ) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let line = lines(stream).first(where: predicate) { return line }
            if !process.isRunning {
                // The child may have written its last lines just before exiting.
                out.waitForEnd(until: Date().addingTimeInterval(1))
                err.waitForEnd(until: Date().addingTimeInterval(1))
                if let line = lines(stream).first(where: predicate) { return line }
                throw TestSupportError(
                    .commandFailed,
                    "\(commandLine) exited with \(process.terminationStatus) before the expected line; output:\n\(transcript)")
            }
            if Date() >= deadline {
                throw TestSupportError(
                    .timedOut, "no expected line from \(commandLine) within \(timeout)s; output:\n\(transcript)")
            }
            usleep(5_000)
        }
    }

    /// Waits for a line containing `text`.
    @discardableResult
    public func waitForLine(
        containing text: String, in stream: Stream = .either, timeout: TimeInterval = 10
    ) throws -> String {
        try waitForLine(in: stream, timeout: timeout) { $0.contains(text) }
    }

    /// Waits for a line matching the regular expression `pattern` and returns its capture groups
    /// (index 0 is the whole match).
    public func waitForMatch(
        _ pattern: String, in stream: Stream = .either, timeout: TimeInterval = 10
    ) throws -> [String] {
        let expression = try NSRegularExpression(pattern: pattern)
        let line = try waitForLine(in: stream, timeout: timeout) { line in
            expression.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
        }
        guard let match = expression.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) else {
            return []
        }
        return (0..<match.numberOfRanges).map { index in
            Range(match.range(at: index), in: line).map { String(line[$0]) } ?? ""
        }
    }

    /// Writes `text` to the child's stdin.
    public func send(_ text: String) throws {
        try input.write(contentsOf: Data(text.utf8))
    }

    /// Waits (polling) until the child exits by itself; returns its status, or throws on timeout.
    @discardableResult
    public func waitForExit(timeout: TimeInterval = 10) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() >= deadline {
                throw TestSupportError(.timedOut, "\(commandLine) still running after \(timeout)s")
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        out.waitForEnd(until: Date().addingTimeInterval(2))
        err.waitForEnd(until: Date().addingTimeInterval(2))
        return process.terminationStatus
    }

    /// Kills the child with SIGKILL by PID and waits for it to be reaped. Idempotent.
    public func kill() {
        if process.isRunning {
            _ = Foundation.kill(process.pid, SIGKILL)
            process.waitUntilExit()
        }
        try? input.close()
    }

    /// Everything the child wrote so far, for failure messages.
    public var transcript: String {
        (["-- stdout --"] + out.lines + ["-- stderr --"] + err.lines).joined(separator: "\n")
    }
}
