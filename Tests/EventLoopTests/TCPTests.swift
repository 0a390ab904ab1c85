@testable import EventLoop
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite("TCP", .timeLimit(.minutes(3)))
struct TCPTests {
    @Test("connecting to a closed port gives ECONNREFUSED as an error value")
    func connectRefusedGivesCleanError() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let outcome: Result<Int, EventLoopError> = try await onLoop(loop) { promise in
            // Learn a free port, then stop listening on it.
            let listener = try TCPListener(loop: loop, address: SocketAddress(parsing: "127.0.0.1:0")) { $0.close() }
            let address = listener.localAddress
            // The socket closes in the close callback; connecting before that would land in
            // the backlog and be reset rather than refused.
            listener.close {
                TCPStream.connect(loop: loop, to: address) { result in
                    switch result {
                    case .success(let stream):
                        stream.close()
                        promise.succeed(.success(0))
                    case .failure(let error):
                        promise.succeed(.failure(error))
                    }
                }
            }
        }
        guard case .failure(let error) = outcome else {
            Issue.record("connect to a closed port succeeded")
            return
        }
        #expect(error.isConnectionRefused)
        #expect(error.name == "ECONNREFUSED")
        #expect(!error.message.isEmpty)
    }

    @Test("closing a handle twice is harmless and both completions run")
    func closeTwiceIsHarmless() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let (completions, openAfter): (Int, Int) = try await onLoop(loop) { promise in
            var completions = 0
            let timer = try LoopTimer(loop: loop)
            let listener = try TCPListener(loop: loop, address: SocketAddress(parsing: "127.0.0.1:0")) { $0.close() }
            TCPStream.connect(loop: loop, to: listener.localAddress) { result in
                guard case .success(let stream) = result else {
                    promise.fail(LoopTestFailure("connect failed: \(result)"))
                    return
                }
                for handle in [timer, listener, stream] as [LoopHandle] {
                    handle.close { completions += 1 }
                    handle.close { completions += 1 }
                }
                // After the close callbacks: closing a closed handle runs its completion at once.
                try? loop.schedule(after: .milliseconds(1)) {
                    stream.close { completions += 1 }
                    stream.write(UnsafeRawBufferPointer(start: nil, count: 0))
                    stream.startReading()
                    promise.succeed((completions, loop.openHandleCount))
                }
            }
        }
        #expect(completions == 7)
        #expect(openAfter == 0)
    }

    @Test("a listener on IPv6 ::1 accepts and echoes")
    func listenerOnIPv6Loopback() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let (echoed, peer, listening): ([UInt8], SocketAddress, SocketAddress) = try await onLoop(loop) { promise in
            let listener = try TCPListener(loop: loop, address: SocketAddress(parsing: "[::1]:0")) { server in
                server.onEvent = { event in
                    switch event {
                    case .data(let bytes): server.write(bytes)
                    case .endOfStream: server.shutdownWrite { _ in server.close() }
                    case .error: server.close()
                    }
                }
                server.startReading()
            }
            let address = listener.localAddress
            TCPStream.connect(loop: loop, to: address) { result in
                switch result {
                case .failure(let error):
                    promise.fail(error)
                case .success(let client):
                    var received: [UInt8] = []
                    // Read while connected: once both sides have closed there is no peer.
                    let peer = try? client.peerAddress()
                    client.onEvent = { event in
                        switch event {
                        case .data(let bytes): received += bytes
                        case .endOfStream:
                            client.close()
                            listener.close()
                            if let peer { promise.succeed((received, peer, address)) }
                            else { promise.fail(LoopTestFailure("no peer address")) }
                        case .error(let error): promise.fail(error)
                        }
                    }
                    client.startReading()
                    Array("hello over IPv6".utf8).withUnsafeBytes { client.write($0) }
                    client.shutdownWrite { error in if let error { promise.fail(error) } }
                }
            }
        }
        #expect(listening.family == .ipv6)
        #expect(listening.port != 0)
        #expect(peer == listening)
        #expect(echoed == Array("hello over IPv6".utf8))
    }

    @Test("stream options apply and the two ends see each other's addresses")
    func streamOptionsAndAddresses() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let (clientLocal, clientPeer, serverLocal, serverPeer): (SocketAddress, SocketAddress, SocketAddress, SocketAddress) =
            try await onLoop(loop) { promise in
                var serverSide: (SocketAddress, SocketAddress)?
                var clientSide: (SocketAddress, SocketAddress)?
                func finishIfBoth() {
                    guard let serverSide, let clientSide else { return }
                    promise.succeed((clientSide.0, clientSide.1, serverSide.0, serverSide.1))
                }
                var listener: TCPListener?
                listener = try TCPListener(loop: loop, address: SocketAddress(parsing: "127.0.0.1:0")) { server in
                    do {
                        try server.setNoDelay(true)
                        try server.setKeepAlive(true, idleSeconds: 30)
                        serverSide = (try server.localAddress(), try server.peerAddress())
                    } catch {
                        promise.fail(error)
                    }
                    server.close()
                    listener?.close()
                    finishIfBoth()
                }
                guard let address = listener?.localAddress else { return }
                TCPStream.connect(loop: loop, to: address) { result in
                    do {
                        let client = try result.get()
                        try client.setNoDelay(true)
                        try client.setKeepAlive(false)
                        clientSide = (try client.localAddress(), try client.peerAddress())
                        client.close()
                        finishIfBoth()
                    } catch {
                        promise.fail(error)
                    }
                }
            }
        #expect(clientPeer == serverLocal)
        #expect(serverPeer == clientLocal)
        #expect(clientLocal.family == .ipv4)
    }

    @Test("closing a stream with queued writes cancels them before the close completes")
    func closeCancelsQueuedWrites() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let pattern = BytePattern()
        let (outcomes, closedAfterAll, queuedBeforeClose): ([String], Bool, Int) = try await onLoop(loop) { promise in
            var held: [TCPStream] = []
            // The server never reads, so the client's writes pile up in its queue.
            let listener = try TCPListener(loop: loop, address: SocketAddress(parsing: "127.0.0.1:0")) { held.append($0) }
            TCPStream.connect(loop: loop, to: listener.localAddress) { result in
                guard case .success(let client) = result else {
                    promise.fail(LoopTestFailure("connect failed"))
                    return
                }
                var outcomes: [String] = []
                let writes = 64
                for index in 0..<writes {
                    client.write(pattern.slice(at: index << 20, count: 1 << 20)) { error in
                        outcomes.append(error?.name ?? "ok")
                    }
                }
                let queued = client.queuedWriteBytes
                client.close {
                    promise.succeed((outcomes, outcomes.count == writes, queued))
                    held.forEach { $0.close() }
                    listener.close()
                }
            }
        }
        #expect(queuedBeforeClose > 0)
        #expect(closedAfterAll)
        #expect(outcomes.contains("ECANCELED"))
        #expect(outcomes.allSatisfy { $0 == "ok" || $0 == "ECANCELED" })
    }

    @Test("two listeners share a port with SO_REUSEPORT")
    func reusePortListenersShareAPort() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let (first, second): (SocketAddress, SocketAddress) = try await onLoop(loop) { promise in
            let one = try TCPListener(loop: loop, address: SocketAddress(parsing: "127.0.0.73:0"), reusePort: true) { $0.close() }
            let two = try TCPListener(loop: loop, address: one.localAddress, reusePort: true) { $0.close() }
            promise.succeed((one.localAddress, two.localAddress))
            one.close()
            two.close()
        }
        #expect(first == second)
    }

    @Test("a paused listener leaves connections in the backlog until it resumes")
    func pausedListenerResumes() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let (acceptedWhilePaused, acceptedAfterResume): (Bool, Bool) = try await onLoop(loop) { promise in
            var paused = true
            var acceptedWhilePaused = false
            var listener: TCPListener?
            listener = try TCPListener(loop: loop, address: SocketAddress(parsing: "127.0.0.1:0")) { stream in
                if paused { acceptedWhilePaused = true }
                stream.close()
                listener?.close()
                promise.succeed((acceptedWhilePaused, !paused))
            }
            guard let server = listener else { return }
            server.pauseAccepting()
            TCPStream.connect(loop: loop, to: server.localAddress) { result in
                guard case .success(let client) = result else {
                    promise.fail(LoopTestFailure("connect failed"))
                    return
                }
                // The kernel completed the handshake from its backlog; now let the listener take it.
                try? loop.schedule(after: .milliseconds(10)) {
                    client.close()
                    paused = false
                    do {
                        try server.resumeAccepting()
                    } catch {
                        promise.fail(error)
                    }
                }
            }
        }
        #expect(!acceptedWhilePaused)
        #expect(acceptedAfterResume)
    }

    @Test("binding a port already in use is an EADDRINUSE error that leaves no handle open")
    func bindInUseIsCleanError() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let (name, openHandles): (String, Int) = try await onLoop(loop) { promise in
            let first = try TCPListener(loop: loop, address: SocketAddress(parsing: "127.0.0.1:0")) { $0.close() }
            do {
                _ = try TCPListener(loop: loop, address: first.localAddress) { $0.close() }
                promise.fail(LoopTestFailure("second bind succeeded"))
            } catch let error as EventLoopError {
                first.close()
                promise.succeed((error.name, loop.openHandleCount))
            }
        }
        #expect(name == "EADDRINUSE")
        #expect(openHandles == 0)
    }

    /// Counts accept attempts and whether the listener was still polling after EMFILE.
    final class AcceptProbe: @unchecked Sendable {
        var calls = 0
        var errors: [EventLoopError] = []
        var pollingAfterError: [Bool] = []
    }

    @Test("accept running out of descriptors backs off instead of spinning")
    func acceptEMFILEBacksOff() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let probe = AcceptProbe()
        let accepted: Bool = try await onLoop(loop) { promise in
            var listener: TCPListener?
            listener = try TCPListener(loop: loop, address: SocketAddress(parsing: "127.0.0.1:0")) { stream in
                stream.close()
                listener?.close()
                promise.succeed(true)
            }
            guard let server = listener else { return }
            let realAccept = server.acceptCall
            server.initialAcceptBackoff = .milliseconds(20)
            server.acceptCall = { descriptor in
                probe.calls += 1
                return probe.calls <= 2 ? -EMFILE : realAccept(descriptor)
            }
            server.onAcceptError = { error in
                probe.errors.append(error)
                probe.pollingAfterError.append(listener?.isAccepting ?? true)
            }
            TCPStream.connect(loop: loop, to: server.localAddress) { result in
                if case .success(let client) = result { client.close() }
            }
        }
        #expect(accepted)
        #expect(probe.errors.count == 2)
        #expect(probe.errors.allSatisfy { $0.isDescriptorExhaustion })
        // Each EMFILE stopped polling: the pending connection did not make the loop spin.
        #expect(probe.pollingAfterError == [false, false])
        #expect(probe.calls <= 4)
    }
}
