import EventLoop
import Testing
import TestSupport

@Suite("Half-close", .timeLimit(.minutes(3)))
struct HalfCloseTests {
    /// What the server side saw and sent.
    struct ServerSummary: Sendable {
        var received: [UInt8]
        var sent: StreamSummary
    }

    @Test("a client that shut down its write side still receives the server's 10 MiB")
    func clientReceivesServerDataAfterItsShutdown() async throws {
        let serverThread = try makeLoopThread()
        let clientThread = try makeLoopThread()
        defer {
            clientThread.stopAndJoin()
            serverThread.stopAndJoin()
        }
        let total = 10 << 20
        let pattern = BytePattern()
        let serverDone = Promise<ServerSummary>()

        let serverLoop = serverThread.loop
        let address: SocketAddress = try await onLoop(serverLoop) { promise in
            let listener = try TCPListener(loop: serverLoop, address: SocketAddress(parsing: "127.0.0.1:0")) { stream in
                var received: [UInt8] = []
                var sender: PatternSender?
                stream.onEvent = { event in
                    switch event {
                    case .data(let bytes):
                        received += bytes
                    case .endOfStream:
                        // The client is done writing; only now does the server answer.
                        let pump = PatternSender(stream: stream, pattern: pattern, total: total) { error in
                            if let error {
                                serverDone.fail(error)
                            } else if let sender {
                                serverDone.succeed(ServerSummary(
                                    received: received,
                                    sent: StreamSummary(byteCount: sender.sent, sha256: sender.digest.finish())))
                            }
                            stream.close()
                        }
                        sender = pump
                        pump.pump()
                    case .error(let error):
                        serverDone.fail(error)
                        stream.close()
                    }
                }
                stream.startReading()
            }
            promise.succeed(listener.localAddress)
        }

        let clientLoop = clientThread.loop
        let clientSaw: StreamSummary = try await onLoop(clientLoop) { promise in
            TCPStream.connect(loop: clientLoop, to: address) { result in
                switch result {
                case .failure(let error):
                    promise.fail(error)
                case .success(let client):
                    let reader = HashingReader()
                    reader.attach(to: client) { outcome in
                        client.close()
                        promise.complete(outcome.mapError { $0 as any Error })
                    }
                    Array("request, then FIN".utf8).withUnsafeBytes { client.write($0) }
                    client.shutdownWrite { error in if let error { promise.fail(error) } }
                }
            }
        }
        let server = try await serverDone.value()
        #expect(server.received == Array("request, then FIN".utf8))
        #expect(server.sent.byteCount == total)
        #expect(clientSaw.byteCount == total)
        #expect(clientSaw.sha256 == server.sent.sha256)
    }
}
