import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A started child and the pipes to its stdin, stdout and stderr.
struct StartedChild {
    let process: Process
    let stdin: Pipe
    let stdout: Pipe
    let stderr: Pipe
}

/// Starts `executable` with its stdin, stdout and stderr on pipes.
///
/// Foundation watches its children through a SIGCHLD handler installed without SA_RESTART, so
/// each child that exits can interrupt a blocking system call on any thread of the test process
/// with EINTR, which some Foundation calls turn into a fatal error. With hundreds of children
/// per run that became a crash now and then; `restartSystemCallsAfterSIGCHLD()` keeps the
/// handler but asks the kernel to restart interrupted calls.
func startChild(
    _ executable: String, _ arguments: [String], environment: [String: String], currentDirectory: String?
) throws -> StartedChild {
    restartSystemCallsAfterSIGCHLD()
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
    try process.run()
    restartSystemCallsAfterSIGCHLD()
    return child
}

/// Adds SA_RESTART to whatever SIGCHLD handler is installed (Foundation installs its own on
/// the first child); a default or ignored disposition is left alone.
func restartSystemCallsAfterSIGCHLD() {
    var action = sigaction()
    guard sigaction(SIGCHLD, nil, &action) == 0 else { return }
    let handler = unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
    guard handler != 0, handler != 1, action.sa_flags & Int32(SA_RESTART) == 0 else { return }
    action.sa_flags |= Int32(SA_RESTART)
    _ = sigaction(SIGCHLD, &action, nil)
}

/// Reads what is there on `descriptor` (blocking until something is), retrying reads a signal
/// interrupted; empty at end of file or on an error.
func readAvailable(_ descriptor: Int32, upTo limit: Int = 65536) -> Data {
    var buffer = [UInt8](repeating: 0, count: limit)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, limit) }
        if count >= 0 { return Data(buffer[0..<count]) }
        if errno != EINTR { return Data() }
    }
}

/// Writes all of `data` to `descriptor`, retrying writes a signal interrupted; stops quietly
/// when the reader went away.
func writeAll(_ data: Data, to descriptor: Int32) {
    var offset = 0
    let bytes = [UInt8](data)
    while offset < bytes.count {
        let count = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if count > 0 {
            offset += count
        } else if count < 0, errno == EINTR {
            continue
        } else {
            return
        }
    }
}
