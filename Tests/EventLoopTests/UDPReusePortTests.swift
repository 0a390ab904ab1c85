import EventLoop
import Testing

/// SO_REUSEPORT on UDP sockets: several loops of one server bind the same port.
@Suite("UDP SO_REUSEPORT", .timeLimit(.minutes(3)))
struct UDPReusePortTests {
    @Test("two sockets with reusePort bind the same port, and both receive", arguments: ["127.0.0.73:0", "[::1]:0"])
    func twoSocketsShareAPort(bindAddress: String) async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let (firstPort, secondPort): (UInt16, UInt16) = try await onLoop(loop) { promise in
            let first = try UDPSocket(loop: loop, bindTo: try SocketAddress(parsing: bindAddress), reusePort: true)
            let shared = try first.localAddress()
            let second = try UDPSocket(loop: loop, bindTo: shared, reusePort: true)
            let secondAddress = try second.localAddress()
            // Sending works on both (each is a real bound socket).
            let client = try UDPSocket(loop: loop, bindTo: try SocketAddress(parsing: bindAddress))
            var received = 0
            for socket in [first, second] {
                socket.onDatagram = { _, _ in
                    received += 1
                    if received == 1 {
                        for open in [first, second, client] { open.close() }
                        promise.succeed((shared.port, secondAddress.port))
                    }
                }
                try socket.startReceiving()
            }
            client.send(Array("hello".utf8), to: shared) { error in
                if let error { promise.fail(error) }
            }
        }
        #expect(firstPort != 0)
        #expect(firstPort == secondPort)
    }

    @Test("without reusePort the second bind of a port fails with EADDRINUSE")
    func secondBindWithoutTheOptionFails() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let name: String = try await onLoop(loop) { promise in
            let first = try UDPSocket(loop: loop, bindTo: try SocketAddress(parsing: "127.0.0.1:0"))
            defer { first.close() }
            let shared = try first.localAddress()
            do {
                let second = try UDPSocket(loop: loop, bindTo: shared)
                second.close()
                promise.succeed("bound")
            } catch let error as EventLoopError {
                promise.succeed(error.name)
            }
        }
        #expect(name == "EADDRINUSE")
    }

    @Test("a socket without the option cannot join a port bound with it")
    func bothSocketsNeedTheOption() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let name: String = try await onLoop(loop) { promise in
            let first = try UDPSocket(loop: loop, bindTo: try SocketAddress(parsing: "127.0.0.73:0"), reusePort: true)
            defer { first.close() }
            let shared = try first.localAddress()
            do {
                let second = try UDPSocket(loop: loop, bindTo: shared)
                second.close()
                promise.succeed("bound")
            } catch let error as EventLoopError {
                promise.succeed(error.name)
            }
        }
        #expect(name == "EADDRINUSE")
    }

    @Test("a socket with batchReceive gets every datagram of a burst, intact and with its sender")
    func batchReceiveTakesABurst() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let count = 100
        let received: [String] = try await onLoop(loop) { promise in
            let address = try SocketAddress(parsing: "127.0.0.1:0")
            let server = try UDPSocket(loop: loop, bindTo: address, batchReceive: true)
            let client = try UDPSocket(loop: loop, bindTo: address)
            let clientAddress = try client.localAddress()
            var texts: [String] = []
            server.onDatagram = { bytes, sender in
                guard sender == clientAddress else {
                    promise.fail(LoopTestFailure("datagram from \(sender), not \(clientAddress)"))
                    return
                }
                texts.append(String(decoding: bytes, as: UTF8.self))
                if texts.count == count {
                    server.close()
                    client.close()
                    promise.succeed(texts)
                }
            }
            try server.startReceiving()
            let target = try server.localAddress()
            // All sent before the loop reads any: they queue up for recvmmsg.
            for index in 0..<count { client.send(Array("datagram \(index)".utf8), to: target) }
        }
        #expect(received == (0..<count).map { "datagram \($0)" })
    }
}
