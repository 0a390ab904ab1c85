import EventLoop
import Glibc
import Testing
import TestSupport

@Suite("Relay", .timeLimit(.minutes(3)))
struct RelayTests {
    struct ServerSummary: Sendable {
        var received: [UInt8]
        var sent: StreamSummary
    }

    /// A server that reads until end of stream, then answers with `total` pattern bytes.
    static func answerAfterEndOfStream(
        loop: EventLoop, total: Int, pattern: BytePattern, done: Promise<ServerSummary>
    ) throws -> TCPListener {
        try TCPListener(loop: loop, address: SocketAddress(parsing: "127.0.0.1:0")) { stream in
            var received: [UInt8] = []
            var sender: PatternSender?
            stream.onEvent = { event in
                switch event {
                case .data(let bytes):
                    received += bytes
                case .endOfStream:
                    let pump = PatternSender(stream: stream, pattern: pattern, total: total) { error in
                        if let error {
                            done.fail(error)
                        } else if let sender {
                            done.succeed(ServerSummary(
                                received: received,
                                sent: StreamSummary(byteCount: sender.sent, sha256: sender.digest.finish())))
                        }
                        stream.close()
                    }
                    sender = pump
                    pump.pump()
                case .error(let error):
                    done.fail(error)
                    stream.close()
                }
            }
            stream.startReading()
        }
    }

    @Test("the relay keeps return traffic flowing after the client's half-close")
    func relayHalfCloseReturnTraffic() async throws {
        let relayThread = try makeLoopThread()
        let clientThread = try makeLoopThread()
        defer {
            clientThread.stopAndJoin()
            relayThread.stopAndJoin()
        }
        let total = 10 << 20
        let pattern = BytePattern()
        let serverDone = Promise<ServerSummary>()
        let relayDone = Promise<RelayReport>()
        let relayLoop = relayThread.loop
        let relayAddress: SocketAddress = try await onLoop(relayLoop) { promise in
            let server = try Self.answerAfterEndOfStream(loop: relayLoop, total: total, pattern: pattern, done: serverDone)
            let forwarder = try TCPForwarder(
                loop: relayLoop, accept: SocketAddress(parsing: "127.0.0.1:0"), connect: server.localAddress)
            forwarder.onRelayFinished = { report in
                relayDone.succeed(report)
                forwarder.close()
                server.close()
            }
            forwarder.onConnectFailed = { relayDone.fail($0) }
            promise.succeed(forwarder.localAddress)
        }

        let request = Array("one request, then FIN".utf8)
        let clientLoop = clientThread.loop
        let clientSaw: StreamSummary = try await onLoop(clientLoop) { promise in
            TCPStream.connect(loop: clientLoop, to: relayAddress) { result in
                switch result {
                case .failure(let error):
                    promise.fail(error)
                case .success(let client):
                    HashingReader().attach(to: client) { outcome in
                        client.close()
                        promise.complete(outcome.mapError { $0 as any Error })
                    }
                    request.withUnsafeBytes { client.write($0) }
                    client.shutdownWrite { error in if let error { promise.fail(error) } }
                }
            }
        }
        let server = try await serverDone.value()
        let report = try await relayDone.value()
        #expect(server.received == request)
        #expect(clientSaw.byteCount == total)
        #expect(clientSaw.sha256 == server.sent.sha256)
        #expect(report == RelayReport(bytesFirstToSecond: request.count, bytesSecondToFirst: total, error: nil))
    }

    @Test("writing to a peer that has gone reports an error event, not a crash")
    func writeToVanishedPeerReportsError() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let pattern = BytePattern()
        let error: EventLoopError = try await onLoop(loop) { promise in
            // The server takes the connection and closes it at once.
            let listener = try TCPListener(loop: loop, address: SocketAddress(parsing: "127.0.0.1:0")) { $0.close() }
            TCPStream.connect(loop: loop, to: listener.localAddress) { result in
                switch result {
                case .failure(let error):
                    promise.fail(error)
                case .success(let client):
                    client.onEvent = { event in
                        if case .error(let error) = event {
                            client.close()
                            listener.close()
                            promise.succeed(error)
                        }
                    }
                    client.startReading()
                    let sender = PatternSender(stream: client, pattern: pattern, total: 256 << 20) { _ in }
                    sender.pump()
                }
            }
        }
        #expect(["EPIPE", "ECONNRESET"].contains(error.name))
    }
}

@Suite("Deadlines", .timeLimit(.minutes(3)))
struct DeadlineTests {
    @Test("a connect the target never answers ends with ETIMEDOUT")
    func connectTimeoutGivesETIMEDOUT() async throws {
        // A listening socket with a backlog of 0 that never accepts: once its queue is full
        // the kernel drops further SYNs, so later connects hang until our deadline.
        let listening = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(listening >= 0)
        defer { close(listening) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listening, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(bound == 0)
        #expect(listen(listening, 0) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listening, $0, &length) }
        }
        let target = try SocketAddress(host: "127.0.0.1", port: UInt16(bigEndian: address.sin_port))

        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let outcomes: [String] = try await onLoop(loop) { promise in
            var outcomes: [String] = []
            var connected: [TCPStream] = []
            let attempts = 4
            for _ in 0..<attempts {
                TCPStream.connect(loop: loop, to: target, timeout: .milliseconds(300)) { result in
                    switch result {
                    case .success(let stream):
                        connected.append(stream)
                        outcomes.append("connected")
                    case .failure(let error):
                        outcomes.append(error.name)
                    }
                    if outcomes.count == attempts {
                        connected.forEach { $0.close() }
                        promise.succeed(outcomes)
                    }
                }
            }
        }
        #expect(outcomes.contains("ETIMEDOUT"))
        #expect(outcomes.allSatisfy { $0 == "connected" || $0 == "ETIMEDOUT" })
    }

    /// Runs one relay through a forwarder to a server that neither writes nor closes, with a
    /// client that may half-close; returns the relay's report.
    func relayAgainstSilentServer(
        idleTimeout: Duration?, halfCloseTimeout: Duration?, clientHalfCloses: Bool
    ) async throws -> (RelayReport, Bool) {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        return try await onLoop(loop) { promise in
            var held: [TCPStream] = []
            let server = try TCPListener(loop: loop, address: SocketAddress(parsing: "127.0.0.1:0")) { stream in
                held.append(stream)  // silent: no reads, no writes, no close
            }
            let forwarder = try TCPForwarder(
                loop: loop, accept: SocketAddress(parsing: "127.0.0.1:0"), connect: server.localAddress)
            forwarder.idleTimeout = idleTimeout
            forwarder.halfCloseTimeout = halfCloseTimeout
            var clientSawEnd = false
            forwarder.onRelayFinished = { report in
                // Let the client see the relay's close before answering.
                try? loop.schedule(after: .milliseconds(20)) {
                    promise.succeed((report, clientSawEnd))
                    held.forEach { $0.close() }
                    server.close()
                    forwarder.close()
                }
            }
            TCPStream.connect(loop: loop, to: forwarder.localAddress) { result in
                guard case .success(let client) = result else {
                    promise.fail(LoopTestFailure("connect to forwarder failed"))
                    return
                }
                held.append(client)
                client.onEvent = { event in
                    if case .endOfStream = event { clientSawEnd = true }
                    if case .error = event { clientSawEnd = true }
                }
                client.startReading()
                Array("hello".utf8).withUnsafeBytes { client.write($0) }
                if clientHalfCloses { client.shutdownWrite { _ in } }
            }
        }
    }

    @Test("an idle relay ends at its idle deadline and closes the client")
    func idleRelayEndsAtDeadline() async throws {
        let (report, clientSawEnd) = try await relayAgainstSilentServer(
            idleTimeout: .milliseconds(100), halfCloseTimeout: nil, clientHalfCloses: false)
        #expect(report.error?.name == "ETIMEDOUT")
        #expect(report.bytesFirstToSecond == 5)
        #expect(clientSawEnd)
    }

    @Test("a half-closed relay whose other side never ends is closed at its deadline")
    func halfClosedRelayEndsAtDeadline() async throws {
        let (report, clientSawEnd) = try await relayAgainstSilentServer(
            idleTimeout: nil, halfCloseTimeout: .milliseconds(100), clientHalfCloses: true)
        #expect(report.error?.name == "ETIMEDOUT")
        #expect(report.bytesFirstToSecond == 5)
        #expect(clientSawEnd)
    }
}
