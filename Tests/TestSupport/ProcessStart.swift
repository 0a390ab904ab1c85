import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn, with its stdin, stdout and stderr on pipes.
///
/// Not Foundation's `Process`: on Linux (Swift 6.3.1) its `run()` can read past a buffer while
/// it lists /proc/self/fd (swift-corelibs-foundation PR #5472), which crashed whole test runs
/// now and then, and its SIGCHLD handling interrupts blocking calls on other threads (EINTR).
/// Here every descriptor from 3 up is closed in the child (so no test's socket or pipe is kept
/// open by another test's child), and the child is reaped by its own PID.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    /// Our ends of the child's stdin, stdout and stderr.
    let stdin: FileHandle
    let stdout: FileHandle
    let stderr: FileHandle
    private let lock = NSLock()
    private var status: Int32?

    init(_ executable: String, _ arguments: [String], environment: [String: String], currentDirectory: String?) throws {
        let stdinPipe = try Self.pipe()
        let stdoutPipe = try Self.pipe()
        let stderrPipe = try Self.pipe()
        defer {
            close(stdinPipe.read)
            close(stdoutPipe.write)
            close(stderrPipe.write)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe.read, 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe.write, 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe.write, 2)
        try Self.call("posix_spawn_file_actions_addclosefrom_np", &actions, 3)
        if let currentDirectory {
            try Self.call("posix_spawn_file_actions_addchdir_np", &actions, currentDirectory)
        }
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else {
            for descriptor in [stdinPipe.write, stdoutPipe.read, stderrPipe.read] { close(descriptor) }
            throw TestSupportError(.launchFailed, "posix_spawn \(executable): \(String(cString: strerror(spawned)))")
        }
        self.pid = pid
        stdin = FileHandle(fileDescriptor: stdinPipe.write, closeOnDealloc: true)
        stdout = FileHandle(fileDescriptor: stdoutPipe.read, closeOnDealloc: true)
        stderr = FileHandle(fileDescriptor: stderrPipe.read, closeOnDealloc: true)
    }

    /// True until the child has exited (and was reaped).
    var isRunning: Bool { reap(blocking: false) == nil }

    /// Waits for the child to exit.
    func waitUntilExit() { _ = reap(blocking: true) }

    /// The exit code, or the signal number for a child a signal ended (as Foundation reports it).
    var terminationStatus: Int32 { reap(blocking: true) ?? -1 }

    private func reap(blocking: Bool) -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let status { return status }
        var raw: Int32 = 0
        while true {
            let waited = waitpid(pid, &raw, blocking ? 0 : WNOHANG)
            if waited == pid { break }
            if waited == 0 { return nil }
            if errno == EINTR { continue }
            status = -1  // reaped elsewhere or gone: nothing more to learn
            return status
        }
        let signal = raw & 0x7f
        status = signal == 0 ? (raw >> 8) & 0xff : signal
        return status
    }

    /// A pipe whose ends are closed on exec (the child gets only its dup2'd copies; children
    /// of other tests close everything from 3 up anyway).
    private static func pipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        guard Glibc.pipe(&descriptors) == 0 else {
            throw TestSupportError(.systemCall, "pipe: \(String(cString: strerror(errno)))")
        }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return (descriptors[0], descriptors[1])
    }

    /// glibc's posix_spawn_file_actions_addclosefrom_np (2.34) and _addchdir_np (2.29) are not
    /// exported by Swift's Glibc module, so they are looked up at run time.
    private static func call(_ name: String, _ actions: inout posix_spawn_file_actions_t, _ descriptor: Int32) throws {
        typealias Function = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, name), unsafeBitCast(symbol, to: Function.self)(&actions, descriptor) == 0 else {
            throw TestSupportError(.systemCall, "\(name) failed (glibc 2.34 or later needed)")
        }
    }

    private static func call(_ name: String, _ actions: inout posix_spawn_file_actions_t, _ path: String) throws {
        typealias Function = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        guard let symbol = dlsym(nil, name), unsafeBitCast(symbol, to: Function.self)(&actions, path) == 0 else {
            throw TestSupportError(.systemCall, "\(name) failed (glibc 2.29 or later needed)")
        }
    }
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
