import DANE
import EventLoop

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The audit log file: one JSON line per finished connection, appended.
///
/// Each record is one `write(2)` on a descriptor opened with `O_APPEND`, so the kernel puts the
/// whole line at the end of the file in one step: lines from several threads (or several
/// processes sharing the file) never interleave. `reopen()` closes the descriptor and opens the
/// path again, which is what logrotate needs after it renamed the file (the daemon calls it on
/// SIGUSR1).
///
/// Records are written from the thread that finished the connection, the event loop's. That is
/// a deliberate choice: a record is a few hundred bytes, and a write to a local file lands in the
/// page cache in microseconds without waiting for the disk, which costs less than handing the
/// line to another thread. The lock is held only for that one write. A log on a slow network
/// file system would stall the loop; put it on a local disk.
public final class AuditLog: AuditSink, @unchecked Sendable {
    /// The file the log appends to.
    public let path: String
    private let lock = Lock()
    // Guarded by `lock`.
    private var descriptor: Int32
    private var failures = 0

    /// Opens (creating, mode 0640) `path` for appending.
    public init(path: String) throws(EventLoopError) {
        self.path = path
        descriptor = try AuditLog.openForAppending(path)
    }

    deinit {
        close(descriptor)
    }

    /// Appends `record` as one line.
    public func record(_ record: AuditRecord, policy: DANEPolicy) {
        append(line: record.jsonLine(policy: policy))
    }

    /// Appends a line that already ends in a newline, in one `write(2)`.
    public func append(line: String) {
        let bytes = Array(line.utf8)
        lock.withLock {
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { buffer in
                    guard let base = buffer.baseAddress else { return 0 }
                    return write(descriptor, base + offset, buffer.count - offset)
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    // A full disk or a revoked file: the connection itself must not fail for
                    // it, so the record is dropped and counted.
                    failures += 1
                    return
                }
                // A short write happens only on a full disk or a signal mid-write; finishing the
                // line beats leaving half of it.
                offset += written
            }
        }
    }

    /// Closes the file and opens `path` again, creating it when logrotate moved it away. On
    /// failure the old descriptor stays in use, so no record is lost to a bad rotation.
    public func reopen() throws(EventLoopError) {
        let fresh = try AuditLog.openForAppending(path)
        lock.withLock {
            close(descriptor)
            descriptor = fresh
        }
    }

    /// Records that could not be written (a full disk, an I/O error).
    public var failedWrites: Int {
        lock.withLock { failures }
    }

    private static func openForAppending(_ path: String) throws(EventLoopError) -> Int32 {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            throw EventLoopError(code: -errno, operation: "open audit log \(path)")
        }
        return descriptor
    }
}
