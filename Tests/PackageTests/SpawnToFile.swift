import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `program` (a path) with `arguments` to completion, stdin from /dev/null, stdout and
/// stderr into the file at `logPath`, waiting by polling for at most `timeout` seconds (then it
/// is killed by its PID). Returns the exit status (128 + the signal for a killed child).
///
/// Why not TestSupport's `run`: Foundation's `Process.run()` on Linux (Swift 6.3.1) can read
/// past a buffer while it lists /proc/self/fd (swift-corelibs-foundation PR #5472), and this
/// test holding a minute-long build's pipes open made other tests' launches hit it. Here the
/// log file is opened in the child and every other descriptor closed there, so this process's
/// descriptors stay as they were and no other test's pipe is kept open by the build.
func spawnToFile(_ program: String, _ arguments: [String], logPath: String, timeout: TimeInterval) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    try closeFromThree(&actions)

    let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, program, &actions, nil, argv, environ)
    guard spawned == 0 else {
        throw TestSupportError(.launchFailed, "cannot start \(program): errno \(spawned)")
    }

    let deadline = Date().addingTimeInterval(timeout)
    var status: Int32 = 0
    while true {
        let waited = waitpid(pid, &status, WNOHANG)
        if waited == pid { break }
        if waited == -1 && errno != EINTR {
            throw TestSupportError(.systemCall, "waitpid \(pid): errno \(errno)")
        }
        if Date() >= deadline {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
            throw TestSupportError(.timedOut, "\(program) ran longer than \(Int(timeout)) s")
        }
        usleep(50_000)
    }
    let signal = status & 0x7f
    return signal == 0 ? (status >> 8) & 0xff : 128 + signal
}

/// Adds "close every descriptor from 3 up" to `actions` with glibc's
/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34), which Swift's Glibc module does not
/// export, so it is looked up at run time.
private func closeFromThree(_ actions: inout posix_spawn_file_actions_t) throws {
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    // RTLD_DEFAULT is the null handle in glibc.
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
        throw TestSupportError(
            .systemCall, "posix_spawn_file_actions_addclosefrom_np not found (glibc 2.34 or later needed)")
    }
    let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
    guard addCloseFrom(&actions, 3) == 0 else {
        throw TestSupportError(.systemCall, "posix_spawn_file_actions_addclosefrom_np failed")
    }
}
