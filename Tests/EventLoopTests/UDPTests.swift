import EventLoop
import Testing

@Suite("UDP", .timeLimit(.minutes(3)))
struct UDPTests {
    @Test("a datagram sent to an echo socket comes back with the echo's address", arguments: ["127.0.0.1:0", "[::1]:0"])
    func udpEcho(bindAddress: String) async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let (reply, from, echoAddress): ([UInt8], SocketAddress, SocketAddress) = try await onLoop(loop) { promise in
            let address = try SocketAddress(parsing: bindAddress)
            let echo = try UDPSocket(loop: loop, bindTo: address)
            echo.onDatagram = { bytes, sender in echo.send(Array(bytes), to: sender) }
            try echo.startReceiving()
            let echoAddress = try echo.localAddress()

            let client = try UDPSocket(loop: loop, bindTo: address)
            client.onDatagram = { bytes, sender in
                promise.succeed((Array(bytes), sender, echoAddress))
                client.close()
                echo.close()
            }
            client.onError = { promise.fail($0) }
            try client.startReceiving()
            client.send(Array("ping".utf8), to: echoAddress) { error in
                if let error { promise.fail(error) }
            }
        }
        #expect(reply == Array("ping".utf8))
        #expect(from == echoAddress)
        #expect(echoAddress.port != 0)
    }
}
