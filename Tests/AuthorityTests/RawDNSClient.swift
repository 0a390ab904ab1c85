#if canImport(Glibc)
import Glibc
#endif
import Foundation
import TestSupport

/// Plain blocking sockets with poll(2) timeouts, to send the malformed and hostile input that
/// dig will not send. IPv4 loopback only.
final class RawSocket {
    let descriptor: Int32
    /// Stream bytes read but not yet returned as a framed message.
    private var pending: [UInt8] = []

    init(udp: Bool) throws {
        descriptor = socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSupportError(.commandFailed, "socket: errno \(errno)") }
    }

    deinit { close(descriptor) }

    static func address(_ host: String, _ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        return address
    }

    func connect(_ host: String, _ port: Int) throws {
        var address = Self.address(host, port)
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard status == 0 else { throw TestSupportError(.commandFailed, "connect: errno \(errno)") }
    }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    /// Waits up to `timeout` seconds for data; nil on timeout, [] when the peer closed.
    func receive(timeout: Double = 3) -> [UInt8]? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
        return count <= 0 ? [] : Array(buffer[0..<count])
    }

    /// One length-framed DNS message from a TCP stream; nil on timeout or close.
    func receiveFramed(timeout: Double = 3) -> [UInt8]? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if pending.count >= 2 {
                let length = Int(pending[0]) << 8 | Int(pending[1])
                if pending.count >= 2 + length {
                    defer { pending.removeFirst(2 + length) }
                    return Array(pending[2..<(2 + length)])
                }
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0, let more = receive(timeout: remaining), !more.isEmpty else { return nil }
            pending += more
        }
    }

    /// True when the peer closes the connection within `timeout` seconds.
    func waitForClose(timeout: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            guard let data = receive(timeout: deadline.timeIntervalSinceNow) else { return false }
            if data.isEmpty { return true }
        }
        return false
    }
}

/// One UDP exchange: the reply, or nil when none came within `timeout`.
func udpExchange(_ bytes: [UInt8], host: String, port: Int, timeout: Double = 2) throws -> [UInt8]? {
    let socket = try RawSocket(udp: true)
    try socket.connect(host, port)
    socket.send(bytes)
    return socket.receive(timeout: timeout)
}
