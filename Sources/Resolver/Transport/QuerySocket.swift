import Cryptography
import EventLoop

/// A fresh UDP socket for one query, bound to a source port drawn from our CSPRNG.
///
/// Why our own random port rather than port 0: Linux does pick ephemeral ports with some
/// randomness, but from a narrower range (net.ipv4.ip_local_port_range, 32768-60999 by
/// default) and by an algorithm we do not control; RFC 5452 §9.2 asks for ports from the
/// widest range possible, drawn unpredictably, and DESIGN.md rule 10 asks for a CSPRNG. So we
/// draw uniformly from 1024-65535 (every 16-bit value ≥ 1024: a draw below is simply redrawn)
/// and bind; when the port is taken (EADDRINUSE) or forbidden (EACCES) we draw again, and
/// after `maxBindAttempts` failures fall back to port 0 rather than fail the lookup.
/// A fresh socket per query (not one shared socket) means each query has its own port, so
/// an attacker must guess ID and port together (about 2^32 values instead of 2^16).
enum QuerySocket {
    static let maxBindAttempts = 16
    static let lowestPort: UInt16 = 1024

    /// A uniformly random port in 1024...65535.
    static func randomPort() -> UInt16 {
        while true {
            let port = SecureRandom.uint16()
            if port >= lowestPort { return port }
        }
    }

    static func open(
        loop: EventLoop, for server: SocketAddress, randomPort: Bool
    ) throws(EventLoopError) -> UDPSocket {
        let anyHost = server.family == .ipv4 ? "0.0.0.0" : "::"
        if randomPort {
            for _ in 0..<maxBindAttempts {
                let address = try SocketAddress(host: anyHost, port: QuerySocket.randomPort())
                do {
                    return try UDPSocket(loop: loop, bindTo: address)
                } catch let error where error.name == "EADDRINUSE" || error.name == "EACCES" {
                    continue
                }
            }
        }
        return try UDPSocket(loop: loop, bindTo: try SocketAddress(host: anyHost, port: 0))
    }
}
