import Foundation

/// What a one-shot command left behind.
public struct CommandResult: Sendable {
    public let status: Int32
    public let stdoutData: Data
    public let stderr: String

    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }

    /// Returns self when the command exited 0, otherwise throws with its stderr.
    @discardableResult
    public func check(_ what: String = "command") throws -> CommandResult {
        guard status == 0 else {
            throw TestSupportError(.commandFailed, "\(what) exited \(status): \(stderr)")
        }
        return self
    }
}

/// Runs `program` (a name looked up on PATH, or a path) with `arguments` to completion, feeding it
/// `input` on stdin, and returns its status and output. `environment` adds to the inherited one.
/// A missing program throws an error naming `package` (default: the program's name).
@discardableResult
public func run(
    _ program: String, _ arguments: [String], input: Data? = nil,
    environment: [String: String] = [:], currentDirectory: String? = nil,
    package: String? = nil, timeout: TimeInterval = 60
) throws -> CommandResult {
    let executable = try requireProgram(program, package: package ?? program)
    let process: ChildProcess
    do {
        process = try ChildProcess(executable, arguments, environment: environment, currentDirectory: currentDirectory)
    } catch {
        throw TestSupportError(.launchFailed, "cannot start \(executable): \(error)")
    }
    let out = OutputCollector(reading: process.stdout)
    let err = OutputCollector(reading: process.stderr)
    let writer = process.stdin
    if let input, !input.isEmpty {
        // Write from another thread: a child that does not read must not block us.
        let feeder = Thread {
            writeAll(input, to: writer.fileDescriptor)
            try? writer.close()
        }
        feeder.start()
    } else {
        try? writer.close()
    }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline {
        usleep(2_000)
    }
    if process.isRunning {
        kill(process.pid, SIGKILL)
        process.waitUntilExit()
        throw TestSupportError(.timedOut, "\(program) \(arguments.joined(separator: " ")) ran longer than \(timeout)s")
    }
    process.waitUntilExit()
    let outputDeadline = Date().addingTimeInterval(5)
    out.waitForEnd(until: outputDeadline)
    err.waitForEnd(until: outputDeadline)
    return CommandResult(
        status: process.terminationStatus, stdoutData: out.data,
        stderr: String(decoding: err.data, as: UTF8.self))
}

/// Runs a `/bin/sh -c` command line (for pipelines such as `openssl x509 | openssl pkey`).
@discardableResult
public func shell(
    _ commandLine: String, input: Data? = nil, currentDirectory: String? = nil,
    timeout: TimeInterval = 60
) throws -> CommandResult {
    try run(
        "/bin/sh", ["-c", commandLine], input: input, currentDirectory: currentDirectory,
        package: "dash", timeout: timeout)
}
