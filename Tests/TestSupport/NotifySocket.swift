import Foundation

/// A unix datagram socket standing in for systemd's `NOTIFY_SOCKET` in tests: bound at a path
/// inside a temporary folder, it collects the sd_notify(3) messages a service sends.
public final class NotifySocket {
    /// The path to put in `NOTIFY_SOCKET`.
    public let path: String
    private let descriptor: Int32

    public init(in directory: TemporaryDirectory) throws {
        path = directory.path + "/notify.sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSupportError(.systemCall, "socket(AF_UNIX): errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(descriptor)
            throw TestSupportError(.systemCall, "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            let code = errno
            close(descriptor)
            throw TestSupportError(.systemCall, "bind \(path): errno \(code)")
        }
    }

    deinit { close(descriptor) }

    /// The next message, or nil when none came within `timeout` seconds.
    public func receive(timeout: Double = 10) -> String? {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&entry, 1, Int32(timeout * 1000)) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        return count < 0 ? nil : String(decoding: buffer.prefix(count), as: UTF8.self)
    }

    /// The next message as its assignments (`READY` → `1`), or nil on timeout.
    public func receiveAssignments(timeout: Double = 10) -> [String: String]? {
        guard let message = receive(timeout: timeout) else { return nil }
        var assignments: [String: String] = [:]
        for line in message.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            assignments[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return assignments
    }
}
