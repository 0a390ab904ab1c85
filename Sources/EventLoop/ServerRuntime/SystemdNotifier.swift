#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tells systemd how a `Type=notify` service stands (sd_notify(3)), by sending one datagram per
/// message to the unix socket named in `NOTIFY_SOCKET`: `READY=1` once every listener is up,
/// `RELOADING=1` with `MONOTONIC_USEC=` before a reload and `READY=1` after it, `STOPPING=1`
/// when the drain begins, and `STATUS=` lines for `systemctl status`.
///
/// Messages are rare (start, reload, stop), so each opens its own socket; a failed send is
/// ignored, as sd_notify's callers do: the service runs the same without a supervisor.
public struct SystemdNotifier: Sendable {
    /// The socket's path; a leading `@` names a socket in the abstract namespace.
    public let socketPath: String

    public init(socketPath: String) { self.socketPath = socketPath }

    /// The notifier for `NOTIFY_SOCKET`, or nil when systemd did not set it.
    public static func fromEnvironment() -> SystemdNotifier? {
        guard let value = getenv("NOTIFY_SOCKET") else { return nil }
        let path = String(cString: value)
        return path.isEmpty ? nil : SystemdNotifier(socketPath: path)
    }

    /// `READY=1`, with a status line.
    public func ready(status: String) {
        send("READY=1\nSTATUS=\(status)")
    }

    /// `RELOADING=1` with the monotonic time in microseconds, which systemd requires beside it.
    public func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
        send("RELOADING=1\nMONOTONIC_USEC=\(microseconds)")
    }

    /// `STOPPING=1`, with a status line.
    public func stopping(status: String) {
        send("STOPPING=1\nSTATUS=\(status)")
    }

    /// A status line only (the connection count, for instance).
    public func status(_ text: String) {
        send("STATUS=\(text)")
    }

    /// Sends `message` (newline-separated assignments) as one datagram; false when it failed.
    @discardableResult
    public func send(_ message: String) -> Bool {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        // An abstract socket's name starts with a NUL byte where the path has its '@'.
        let abstract = pathBytes.first == UInt8(ascii: "@")
        if abstract { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !pathBytes.isEmpty, pathBytes.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: pathBytes) }
        // A path ends at its NUL; an abstract name is exactly as long as given.
        let length = MemoryLayout<sa_family_t>.size + pathBytes.count + (abstract ? 0 : 1)
        #if canImport(Glibc)
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        #else
        let descriptor = socket(AF_UNIX, SOCK_DGRAM, 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bytes.withUnsafeBytes { sendto(descriptor, $0.baseAddress, $0.count, 0, pointer, socklen_t(length)) }
            }
        }
        return sent == bytes.count
    }
}
