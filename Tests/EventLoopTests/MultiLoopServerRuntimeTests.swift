import EventLoop
import Foundation
import Testing
import TestSupport

/// The multi-loop runtime danezone and danegate share: the connection budget across loops,
/// connections spread over the loops, and the drain on stop with its deadline.
@Suite struct MultiLoopServerRuntimeTests {
    @Test("max-connections holds across loops: the next client waits in the backlog and is served when one ends")
    func budgetKeepsTheNextClientInTheBacklog() throws {
        let server = try GreetingServer(workers: 2, maxConnections: 1)
        let port = try server.listen()
        let first = try BlockingSocket(connectingTo: port)
        #expect(try first.receive().map { String(decoding: $0, as: UTF8.self) }?.hasPrefix("hello") == true)

        // The kernel completes the handshake, but nobody accepts it while the first is open.
        let second = try BlockingSocket(connectingTo: port)
        #expect(!isReadable(second.descriptor, withinMilliseconds: 400))
        #expect(server.runtime.connectionBudget.openCount == 1)
        #expect(server.acceptedCount == 1)

        // The first ends: its place goes to the waiting client.
        first.shutdownWrite()
        #expect(try second.receive().map { String(decoding: $0, as: UTF8.self) }?.hasPrefix("hello") == true)
        #expect(server.acceptedCount == 2)
        #expect(server.runtime.connectionBudget.openCount == 1)
        server.runtime.beginStop()
        try server.runtime.run(server.lifecycle(drainTimeout: .zero))
    }

    @Test("workers = 2: connections land on both loops")
    func connectionsSpreadOverBothLoops() throws {
        let server = try GreetingServer(workers: 2)
        let port = try server.listen()
        var loopsSeen: Set<String> = []
        // SO_REUSEPORT hashes each source port to a listener: 40 connections all landing on
        // one of two loops would happen once in 2^39 runs.
        for _ in 0..<40 {
            let client = try BlockingSocket(connectingTo: port)
            let greeting = String(decoding: try client.receive() ?? [], as: UTF8.self)
            loopsSeen.insert(greeting.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(loopsSeen == ["hello 0", "hello 1"])
        server.runtime.beginStop()
        try server.runtime.run(server.lifecycle(drainTimeout: .zero))
    }

    @Test("stop: new clients are refused, an open connection is cut at the drain deadline")
    func drainEndsAtTheDeadline() throws {
        let drain = try Drain(timeout: .milliseconds(1500))
        #expect(!drain.finished.isOpen)
        // At the deadline the server cuts what is left, and run() returns.
        #expect(try drain.held.receive() == nil)
        #expect(drain.finished.wait(seconds: 10))
        #expect(ContinuousClock.now - drain.stopAsked >= .milliseconds(1500))
        #expect(drain.server.cutCount == 1)
    }

    @Test("stop: the drain ends as soon as the last connection does")
    func drainEndsWithTheLastConnection() throws {
        let drain = try Drain(timeout: .seconds(60))
        drain.held.shutdownWrite()
        #expect(drain.finished.wait(seconds: 20))
        #expect(ContinuousClock.now - drain.stopAsked < .seconds(20))
        #expect(drain.server.cutCount == 0)
    }

    /// A server with one connection open, told to stop, once its listeners are closed (a new
    /// client is refused) while the open connection drains.
    struct Drain {
        let server: GreetingServer
        let held: BlockingSocket
        let finished = Latch()
        let stopAsked: ContinuousClock.Instant

        init(timeout: Duration) throws {
            let server = try GreetingServer(workers: 2)
            let port = try server.listen()
            held = try BlockingSocket(connectingTo: port)
            #expect(try held.receive() != nil)
            let finished = self.finished
            let runner = Thread {
                try? server.runtime.run(server.lifecycle(drainTimeout: timeout))
                finished.open()
            }
            runner.start()
            stopAsked = ContinuousClock.now
            server.runtime.beginStop()
            #expect(try waitUntil(seconds: 5) { !canConnect(port) })
            self.server = server
        }
    }
}

/// A server that greets each client with `hello <loop index>` and keeps the connection until the
/// client closes it, on a ``MultiLoopServer``.
final class GreetingServer: @unchecked Sendable {
    let runtime: MultiLoopServer
    /// `perLoop[i]` is touched only on `runtime.loops[i]`.
    private let perLoop: [LoopState]
    private let lock = Lock()
    /// Guarded by `lock`.
    private var accepted = 0
    private var cut = 0

    final class LoopState {
        var listeners: [TCPListener] = []
        var streams: [ObjectIdentifier: TCPStream] = [:]
    }

    init(workers: Int, maxConnections: Int = .max) throws {
        runtime = try MultiLoopServer(workers: workers, maxConnections: maxConnections)
        perLoop = runtime.loops.map { _ in LoopState() }
    }

    var acceptedCount: Int { lock.withLock { accepted } }
    var cutCount: Int { lock.withLock { cut } }

    /// Listens on 127.0.0.1, port 0, on every loop; returns the shared port.
    func listen() throws -> UInt16 {
        let bound = try runtime.listenOnEveryLoop(
            try SocketAddress(parsing: "127.0.0.1:0"), port: { $0.port }
        ) { [self] (index, address, reusePort) throws(EventLoopError) in
            let loop = runtime.loops[index]
            let listener = try TCPListener(loop: loop, address: address, reusePort: reusePort) { [self] stream in
                greet(stream, loopIndex: index)
            }
            listener.connectionBudget = runtime.connectionBudget
            perLoop[index].listeners.append(listener)
            return listener.localAddress
        }
        return bound[0].port
    }

    private func greet(_ stream: TCPStream, loopIndex: Int) {
        lock.withLock { accepted += 1 }
        let state = perLoop[loopIndex]
        let key = ObjectIdentifier(stream)
        state.streams[key] = stream
        Array("hello \(loopIndex)\n".utf8).withUnsafeBytes { stream.write($0) }
        stream.onEvent = { [self] event in
            switch event {
            case .data: break
            case .endOfStream, .error: end(key, on: state)
            }
        }
        stream.startReading()
    }

    private func end(_ key: ObjectIdentifier, on state: LoopState) {
        guard let stream = state.streams.removeValue(forKey: key) else { return }
        stream.close()
        runtime.connectionBudget.give()
    }

    func lifecycle(drainTimeout: Duration) -> ServerLifecycle {
        ServerLifecycle(
            drainTimeout: drainTimeout,
            stopAccepting: { [self] in
                runtime.onEveryRunningLoop { index, _ in
                    for listener in self.perLoop[index].listeners { listener.close() }
                }
            },
            closeRemaining: { [self] in
                runtime.onEveryRunningLoop { index, _ in
                    let state = self.perLoop[index]
                    for key in Array(state.streams.keys) {
                        self.lock.withLock { self.cut += 1 }
                        self.end(key, on: state)
                    }
                }
            },
            notifier: nil)
    }
}

/// True when `descriptor` has bytes (or an end of stream) to read within the time given.
func isReadable(_ descriptor: Int32, withinMilliseconds milliseconds: Int32) -> Bool {
    var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    return poll(&entry, 1, milliseconds) > 0
}

/// True when a TCP connection to 127.0.0.1:`port` is accepted by the kernel.
func canConnect(_ port: UInt16) -> Bool {
    (try? BlockingSocket(connectingTo: port)) != nil
}

/// Polls `condition` every 10 ms for up to `seconds`; true once it held.
func waitUntil(seconds: Double, _ condition: () throws -> Bool) throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(10_000)
    }
    return try condition()
}

/// A one-shot gate a test thread waits on, with a timeout.
final class Latch: @unchecked Sendable {
    private let condition = NSCondition()
    private var opened = false

    var isOpen: Bool {
        condition.lock()
        defer { condition.unlock() }
        return opened
    }

    func open() {
        condition.lock()
        opened = true
        condition.broadcast()
        condition.unlock()
    }

    /// True once open; false when `seconds` passed first.
    func wait(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while !opened {
            if !condition.wait(until: deadline) { return opened }
        }
        return true
    }
}
