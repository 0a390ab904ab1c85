import Foundation

/// A plain blocking TCP listener on 127.0.0.1 with a port the kernel picks, for test servers
/// that run one connection on a thread of their own.
public enum LoopbackListener {
    /// The listening descriptor and its port.
    public static func open(backlog: Int32 = 4) throws -> (descriptor: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError(.systemCall, "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, backlog) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else {
            close(fd)
            throw TestSupportError(.systemCall, "bind/listen: errno \(errno)")
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }
}
