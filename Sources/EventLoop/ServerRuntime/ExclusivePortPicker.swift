#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Picks a port that is free for both UDP and TCP on one address, by binding plain sockets
/// (without SO_REUSEPORT) to port 0 and closing them again.
///
/// Why: when a socket with SO_REUSEPORT binds port 0, Linux may hand it a port that another
/// SO_REUSEPORT socket of the same user already holds, and the two then share the traffic.
/// Several loops of one server must share a port on purpose, but never with a stranger, so
/// the port is chosen exclusively first and the SO_REUSEPORT sockets then bind to it.
enum ExclusivePortPicker {
    /// A port free for UDP and TCP on `address` at the moment of the call; nil if none was
    /// found in a few tries.
    static func pick(on address: SocketAddress) -> UInt16? {
        for _ in 0..<16 {
            guard let port = bindAndRelease(address, type: Int32(SOCK_DGRAM.rawValue), port: 0),
                bindAndRelease(address, type: Int32(SOCK_STREAM.rawValue), port: port) != nil
            else { continue }
            return port
        }
        return nil
    }

    /// Binds a plain socket of `type` to `address`:`port`, and returns the bound port after
    /// closing the socket; nil when the bind fails.
    private static func bindAndRelease(_ address: SocketAddress, type: Int32, port: UInt16) -> UInt16? {
        let fd = socket(address.family == .ipv6 ? AF_INET6 : AF_INET, type, 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard address.withPort(port).withSockAddr({ bind(fd, $0, $1) }) == 0 else { return nil }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { return nil }
        return withUnsafeBytes(of: storage) { bytes -> UInt16 in
            // sin_port and sin6_port sit at the same offset (2), in network byte order.
            UInt16(bigEndian: bytes.load(fromByteOffset: 2, as: UInt16.self))
        }
    }
}
