import Foundation
import TLS
import TestSupport

/// Drives a TLSSession over a BlockingSocket: write what the engine produced, read from the
/// socket into the engine, repeat.
struct SocketTLSDriver {
    let session: TLSSession
    let socket: BlockingSocket

    /// Runs the handshake to its end.
    func handshake() throws -> TLSSession.HandshakeProgress {
        while true {
            let progress = session.handshake()
            socket.send(session.takeCiphertext())
            switch progress {
            case .established, .failed:
                return progress
            case .needMoreData:
                if let bytes = try socket.receive() {
                    session.feed(bytes)
                } else {
                    session.feedEndOfStream()
                }
            }
        }
    }

    func write(_ text: String) throws {
        try session.write(Array(text.utf8))
        socket.send(session.takeCiphertext())
    }

    /// Reads plaintext until the peer's close_notify (true) or the end of the stream (false).
    func readToEnd() throws -> (text: String, closeNotify: Bool) {
        var plaintext: [UInt8] = []
        while true {
            switch try session.readPlaintext() {
            case .data(let bytes):
                plaintext += bytes
            case .closed:
                return (String(decoding: plaintext, as: UTF8.self), true)
            case .needMoreData:
                socket.send(session.takeCiphertext())
                if let bytes = try socket.receive() {
                    session.feed(bytes)
                } else {
                    session.feedEndOfStream()
                }
            }
        }
    }

    /// Reads plaintext until `text` appears.
    func read(until text: String) throws -> String {
        var plaintext: [UInt8] = []
        while !String(decoding: plaintext, as: UTF8.self).contains(text) {
            switch try session.readPlaintext() {
            case .data(let bytes):
                plaintext += bytes
            case .closed:
                throw TestSupportError(.commandFailed, "peer closed before '\(text)'")
            case .needMoreData:
                socket.send(session.takeCiphertext())
                guard let bytes = try socket.receive() else {
                    throw TestSupportError(.commandFailed, "stream ended before '\(text)'")
                }
                session.feed(bytes)
            }
        }
        return String(decoding: plaintext, as: UTF8.self)
    }

    /// Sends close_notify.
    func close() {
        session.close()
        socket.send(session.takeCiphertext())
    }
}

/// Connects a fresh client session to 127.0.0.1:`port`.
func connectClient(
    _ context: TLSContext, port: UInt16, options: TLSClientOptions
) throws -> SocketTLSDriver {
    let session = try TLSSession(client: context, options: options)
    return SocketTLSDriver(session: session, socket: try BlockingSocket(connectingTo: port))
}

/// TLS record content types (RFC 8446 §5.1) of a byte stream, in order; stops at a short record.
func recordContentTypes(_ bytes: [UInt8]) -> [UInt8] {
    var types: [UInt8] = []
    var offset = 0
    while offset + 5 <= bytes.count {
        types.append(bytes[offset])
        let length = Int(bytes[offset + 3]) << 8 | Int(bytes[offset + 4])
        offset += 5 + length
    }
    return types
}
