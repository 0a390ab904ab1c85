import Foundation


/// A blocking TCP socket to 127.0.0.1 for driving the TLS engine in tests without an event loop.
/// Reads and writes time out after 10 s so a broken peer fails the test instead of hanging it.
public final class BlockingSocket {
    public let descriptor: Int32
    /// Every byte sent, to check what went on the wire.
    public private(set) var sent: [UInt8] = []

    public init(connectingTo port: UInt16) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSupportError(.systemCall, "socket: errno \(errno)") }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw TestSupportError(.systemCall, "connect to 127.0.0.1:\(port): errno \(errno)")
        }
    }

    deinit {
        close(descriptor)
    }

    /// Sends all of `bytes`; a peer that already closed is not an error here (the engine reports it).
    public func send(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        sent.append(contentsOf: bytes)
        var offset = 0
        while offset < bytes.count {
            let result = bytes.withUnsafeBytes {
                // Non-empty (guarded above), so the base address exists.
                Foundation.send(descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { return }
            offset += result
        }
    }

    /// Reads what is available (blocking); nil at end of stream or on a reset.
    public func receive() throws -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let result = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if result > 0 { return Array(buffer.prefix(result)) }
            if result == 0 { return nil }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw TestSupportError(.timedOut, "no data from the peer within 10 s")
            default: return nil  // ECONNRESET and friends: the stream ended.
            }
        }
    }

    /// Shuts down our sending side (TCP FIN).
    public func shutdownWrite() {
        shutdown(descriptor, Int32(SHUT_WR))
    }
}
