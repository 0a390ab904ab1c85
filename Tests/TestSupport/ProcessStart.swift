import Foundation

/// A started child and the pipes to its stdin, stdout and stderr.
struct StartedChild {
    let process: Process
    let stdin: Pipe
    let stdout: Pipe
    let stderr: Pipe
}

/// Starts `executable` with its output on pipes, again (with a fresh `Process` and fresh pipes)
/// when the start was interrupted by a signal. The test process receives signals of its own
/// (lifecycle tests install SIGHUP/SIGTERM/SIGUSR1 handlers in process), and Foundation's
/// `Process.run` reports an interrupted system call (EINTR) as an error instead of retrying.
func startChild(
    _ executable: String, _ arguments: [String], environment: [String: String], currentDirectory: String?
) throws -> StartedChild {
    var interruptions = 0
    while true {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let currentDirectory {
            process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory)
        }
        let child = StartedChild(process: process, stdin: Pipe(), stdout: Pipe(), stderr: Pipe())
        process.standardInput = child.stdin
        process.standardOutput = child.stdout
        process.standardError = child.stderr
        do {
            try process.run()
            return child
        } catch where interruptions < 5 && isInterruption(error) {
            interruptions += 1
        }
    }
}

private func isInterruption(_ error: any Error) -> Bool {
    let error = error as NSError
    if error.domain == NSPOSIXErrorDomain, error.code == Int(EINTR) { return true }
    return error.localizedDescription.contains("Interrupted system call")
}
