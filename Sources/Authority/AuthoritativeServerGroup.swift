import Dispatch
import EventLoop
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// danezone on several cores: one ``AuthoritativeServer`` per event loop, each with its own
/// UDP socket and TCP listener on the same addresses (SO_REUSEPORT, so the kernel spreads
/// datagrams and connections over the loops) and its own response caches, all answering from
/// the same read-only zone store. `limits.maxTCPConnections` holds for the whole group.
///
/// The zone store is a value (``ZoneStore`` and ``QueryResponder`` are `Sendable`), so every
/// loop reads the same copy without locks; ``replaceResponder(_:)`` hands a new one to each
/// loop, which swaps it on its own thread. Each server's state stays confined to its loop.
///
/// Methods may be called from any thread, including the thread of one of the loops (or the
/// thread that made a loop that does not run yet): work for that loop runs directly, work for
/// the others is queued to them and waited for. None of the loops may be waiting on the
/// caller's loop at the same time (they never are: servers do not call each other).
public final class AuthoritativeServerGroup: @unchecked Sendable {
    public let loops: [EventLoop]
    /// `servers[i]` runs on `loops[i]` and is touched only there.
    private let servers: [AuthoritativeServer]

    /// One server per loop; `loops` must not be empty. `log` is called from every loop's thread.
    public init(
        loops: [EventLoop], responder: QueryResponder, limits: ServerLimits = ServerLimits(),
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        precondition(!loops.isEmpty, "an AuthoritativeServerGroup needs at least one loop")
        self.loops = loops
        let budget = TCPConnectionBudget(limit: limits.maxTCPConnections)
        servers = loops.map {
            AuthoritativeServer(loop: $0, responder: responder, limits: limits, connectionBudget: budget, log: log)
        }
    }

    /// Binds UDP and TCP on `address` on every loop, and returns the addresses bound. With
    /// port 0 the first loop's server picks a free port and the others bind that port. With
    /// one loop nothing is shared and SO_REUSEPORT is left off.
    public func listen(on address: SocketAddress) throws(EventLoopError) -> (udp: SocketAddress, tcp: SocketAddress) {
        let reusePort = servers.count > 1
        let first = servers[0]
        // With SO_REUSEPORT, port 0 could land on a port another server of ours already holds
        // (see ExclusivePortPicker): pick a free one first. Someone may take it in between;
        // then the bind fails with EADDRINUSE and we pick again.
        var attempts = 0
        var bound: (udp: SocketAddress, tcp: SocketAddress)
        while true {
            attempts += 1
            var target = address
            if reusePort, address.port == 0 {
                guard let port = ExclusivePortPicker.pick(on: address) else {
                    throw EventLoopError(code: -EADDRINUSE, operation: "no free port on \(address)")
                }
                target = address.withPort(port)
            }
            do {
                bound = try perform(on: loops[0]) { () throws(EventLoopError) in
                    try first.listen(on: target, reusePort: reusePort)
                }
                break
            } catch {
                guard reusePort, address.port == 0, attempts < 8, error.name == "EADDRINUSE" else { throw error }
            }
        }
        let shared = address.withPort(bound.udp.port)
        for (loop, server) in zip(loops, servers).dropFirst() {
            _ = try perform(on: loop) { () throws(EventLoopError) in
                try server.listen(on: shared, reusePort: true)
            }
        }
        return bound
    }

    /// Makes every loop answer from `responder` (after a reload), and returns once all of
    /// them do, so that a query sent after this returns sees the new zones whichever loop
    /// takes it. Each loop also drops its response caches (``AuthoritativeServer/responder``).
    public func replaceResponder(_ responder: QueryResponder) {
        for (loop, server) in zip(loops, servers) {
            // A loop that has stopped has no sockets left to answer from: nothing to do.
            _ = try? perform(on: loop) { () throws(EventLoopError) in server.responder = responder }
        }
    }

    /// Stops listening and closes every connection, on every loop.
    public func close() {
        for (loop, server) in zip(loops, servers) {
            _ = try? perform(on: loop) { () throws(EventLoopError) in server.close() }
        }
    }

    /// Runs `body` on `loop` and returns what it returns: directly on the loop's own thread,
    /// otherwise queued to the loop while this thread waits.
    private func perform<Value>(
        on loop: EventLoop, _ body: @escaping () throws(EventLoopError) -> Value
    ) throws(EventLoopError) -> Value {
        if loop.inLoopThread { return try body() }
        let outcome = LoopOutcome<Value>()
        let work = UncheckedBody(body)
        let queued = loop.execute {
            do throws(EventLoopError) {
                outcome.finish(.success(try work.body()))
            } catch {
                outcome.finish(.failure(error))
            }
        }
        // libuv's error codes are negated errno values on Linux and Darwin.
        guard queued else { throw EventLoopError(code: -ECANCELED, operation: "loop has stopped") }
        return try outcome.wait().get()
    }
}

/// A closure that is moved to one loop's thread and run there only (the servers it touches
/// are confined to that loop), hence the unchecked sendability.
private struct UncheckedBody<Value>: @unchecked Sendable {
    let body: () throws(EventLoopError) -> Value
    init(_ body: @escaping () throws(EventLoopError) -> Value) { self.body = body }
}

/// The result of work done on another loop, written once there and read after `wait()`.
private final class LoopOutcome<Value>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written before `done` is signalled and read only after it was waited for.
    private var result: Result<Value, EventLoopError>?

    func finish(_ outcome: Result<Value, EventLoopError>) {
        result = outcome
        done.signal()
    }

    func wait() -> Result<Value, EventLoopError> {
        done.wait()
        // finish() set it before signalling; wait() returned only after that signal.
        return result!
    }
}
