import EventLoop
import Foundation
import TLS
import TestSupport

/// A TLS echo server on 127.0.0.1 on a loop thread of its own: every connection's plaintext is
/// sent back, and its end of stream answered with ours. Holds any number of connections at
/// once (s_server holds one), for the gateway's concurrency test.
final class TLSEchoServer: @unchecked Sendable {
    let port: UInt16
    private let thread: EventLoopThread
    private let listener = Locked<TCPListener?>(nil)

    init(chain: String, key: String) throws {
        thread = try EventLoopThread()
        let context = try TLSContext(.server(identity: .files(certificateChain: chain, privateKey: key)))
        let loop = thread.loop
        let bound = Locked<Result<UInt16, any Error>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let holder = listener
        _ = loop.execute {
            do {
                let listener = try TCPListener(loop: loop, address: try SocketAddress(parsing: "127.0.0.1:0"), backlog: 2048) {
                    transport in Self.serve(transport, context: context)
                }
                holder.set(listener)
                bound.set(.success(listener.localAddress.port))
            } catch {
                bound.set(.failure(error))
            }
            ready.signal()
        }
        ready.wait()
        switch bound.get() {
        case .success(let port)?: self.port = port
        case .failure(let error)?: throw error
        case nil: throw TestSupportError(.commandFailed, "echo server did not start")
        }
    }

    deinit {
        let stopped = DispatchSemaphore(value: 0)
        let holder = listener
        _ = thread.loop.execute {
            holder.get()?.close()
            stopped.signal()
        }
        stopped.wait()
        thread.stopAndJoin()
    }

    private static func serve(_ transport: TCPStream, context: TLSContext) {
        guard let session = try? TLSSession(server: context) else {
            transport.close()
            return
        }
        let stream = TLSStream(session: session, transport: transport)
        stream.handshake { result in
            guard case .success = result else {
                stream.close(nil)
                return
            }
            stream.onEvent = { event in
                switch event {
                case .data(let bytes): stream.write(bytes)
                case .endOfStream: stream.shutdownWrite { _ in stream.close(nil) }
                case .error: stream.close(nil)
                }
            }
            stream.startReading()
        }
    }
}
