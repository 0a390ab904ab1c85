import Foundation
import TLS
import TestSupport
import Cryptography

/// A TLS server on 127.0.0.1:0 built on the engine itself (server side), on a blocking socket in
/// its own thread: it hashes all plaintext it receives until the client's close_notify, then
/// answers with "<byte count> <sha256 hex>\n" and its own close_notify (return traffic after a
/// half-close).
final class TLSDigestSink: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32

    init(context: TLSContext) throws {
        let (fd, boundPort) = try LoopbackListener.open()
        listener = fd
        port = boundPort
        Thread {
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { return }
            defer { close(connection) }
            var timeout = timeval(tv_sec: 20, tv_usec: 0)
            setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            guard let session = try? TLSSession(server: context) else { return }
            Self.serve(session, connection)
        }.start()
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private static func serve(_ session: TLSSession, _ connection: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65536)
        func flush() {
            session.withPendingCiphertext { pending in
                var offset = 0
                while offset < pending.count {
                    // withPendingCiphertext lends only non-empty buffers.
                    let sent = send(connection, pending.baseAddress! + offset, pending.count - offset, Int32(MSG_NOSIGNAL))
                    if sent <= 0 { return }
                    offset += sent
                }
            }
        }
        /// Reads from the socket into the session; false at end of stream.
        func receive() -> Bool {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else {
                session.feedEndOfStream()
                return false
            }
            buffer.withUnsafeBytes { session.feed(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            return true
        }
        while true {
            let progress = session.handshake()
            flush()
            if progress != .needMoreData { break }
            guard receive() else { return }
        }
        guard session.isEstablished else { return }
        let digest = MessageDigest(.sha256)
        var total = 0
        let plaintext = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 16)
        defer { plaintext.deallocate() }
        reading: while true {
            switch try? session.readPlaintext(into: plaintext) {
            case .bytes(let count)?:
                digest.update(UnsafeRawBufferPointer(rebasing: plaintext[0..<count]))
                total += count
            case .needMoreData?:
                flush()
                guard receive() else { return }
            case .closed?:
                break reading
            case nil:
                return
            }
        }
        let hex = digest.finalize().map { String(format: "%02x", $0) }.joined()
        try? session.write(Array("\(total) \(hex)\n".utf8))
        session.close()
        flush()
    }
}
