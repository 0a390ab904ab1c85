import Foundation
import TestSupport

/// A hostile TCP peer on 127.0.0.1:0: accepts one connection, reads the ClientHello, then does
/// one bad thing (reset the connection, or answer with garbage and close).
final class RawLoopbackServer: @unchecked Sendable {
    enum Behaviour: Sendable {
        /// Close with SO_LINGER 0, which sends a TCP RST.
        case reset
        /// Send these bytes instead of a ServerHello, then close.
        case reply([UInt8])
    }

    let port: UInt16
    private let listener: Int32

    init(_ behaviour: Behaviour) throws {
        let (fd, boundPort) = try LoopbackListener.open()
        listener = fd
        port = boundPort
        Thread {
            let connection = accept(fd, nil, nil)
            if connection >= 0 {
                var timeout = timeval(tv_sec: 10, tv_usec: 0)
                setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var buffer = [UInt8](repeating: 0, count: 16384)
                _ = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
                switch behaviour {
                case .reset:
                    var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                    setsockopt(connection, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
                case .reply(let bytes):
                    _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                }
                close(connection)
            }
        }.start()
    }

    deinit {
        // Unblocks accept() if no client came.
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}
