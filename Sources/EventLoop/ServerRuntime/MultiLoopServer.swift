#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The runtime of a server on several cores, shared by danezone and danegate: `workers` event
/// loops, each on a thread of its own, each with its own sockets on the same ports (SO_REUSEPORT,
/// so the kernel spreads connections and datagrams over the loops), one ``ConnectionBudget`` for
/// all of them, and the signal-driven lifecycle of ``run(_:)``: SIGHUP reloads, SIGTERM and SIGINT
/// stop accepting and drain up to a deadline, SIGUSR1 calls back (danegate reopens its audit log).
///
/// What the server does on each loop is the caller's: it binds through
/// ``listenOnEveryLoop(_:port:bind:)`` and reaches its per-loop state with ``perform(on:_:)`` and
/// ``onEveryLoop(_:)``. Methods may be called from any thread, including a loop's own thread:
/// work for that loop runs directly, work for the others is queued to them and waited for. No
/// loop may be waiting on the caller's loop at the same time (servers do not call each other).
public final class MultiLoopServer: @unchecked Sendable {
    /// `loops[0]` also watches the signals and runs the lifecycle.
    public let loops: [EventLoop]
    /// The connections open on every loop, against `max-connections`. Give it to each
    /// ``TCPListener`` (`connectionBudget`) and `give()` back when a connection ends.
    public let connectionBudget: ConnectionBudget
    private let threads: EventLoopGroup
    private let lifecycleState = LifecycleState()

    /// One loop per core, at most `cap`.
    public static func defaultWorkerCount(cap: Int = 64) -> Int {
        let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        return max(1, min(cores, cap))
    }

    /// Starts `workers` loops on threads of their own. The control signals (SIGHUP, SIGTERM,
    /// SIGINT, SIGUSR1) are unblocked first, since threads inherit the signal mask and a parent
    /// may have started us with them blocked.
    public init(workers: Int, maxConnections: Int = .max) throws(EventLoopError) {
        precondition(workers >= 1, "a MultiLoopServer needs at least one loop")
        MultiLoopServer.unblockControlSignals()
        threads = try EventLoopGroup(threadCount: workers)
        loops = threads.loops
        connectionBudget = ConnectionBudget(limit: maxConnections)
    }

    deinit {
        // Released on one of its own loops (by a callback that held the last reference), a
        // loop cannot join its own thread: stop the loops, and their threads end by themselves.
        if loops.contains(where: \.inLoopThread) {
            for loop in loops { loop.stop() }
        } else {
            threads.stopAndJoin()
        }
    }

    // MARK: Work on the loops

    /// Runs `body` on `loop` and returns what it returns: directly on the loop's own thread,
    /// otherwise queued to the loop while this thread waits.
    public func perform<Value>(
        on loop: EventLoop, _ body: @escaping () throws(EventLoopError) -> Value
    ) throws(EventLoopError) -> Value {
        if loop.inLoopThread { return try body() }
        let outcome = LoopOutcome<Value>()
        let work = UncheckedSendableBox(body)
        let queued = loop.execute {
            do throws(EventLoopError) {
                outcome.finish(.success(try work.value()))
            } catch {
                outcome.finish(.failure(error))
            }
        }
        // libuv's error codes are negated errno values on Linux and Darwin.
        guard queued else { throw EventLoopError(code: -ECANCELED, operation: "loop has stopped") }
        return try outcome.wait().get()
    }

    /// Runs `body(index, loop)` on every loop, one after the other, and returns the results in
    /// the order of `loops`; the first error stops the round and is thrown.
    public func onEveryLoop<Value>(
        _ body: @escaping (Int, EventLoop) throws(EventLoopError) -> Value
    ) throws(EventLoopError) -> [Value] {
        var results: [Value] = []
        for (index, loop) in loops.enumerated() {
            results.append(try perform(on: loop) { () throws(EventLoopError) in try body(index, loop) })
        }
        return results
    }

    /// Like ``onEveryLoop(_:)`` for work that cannot fail, and on stopped loops skips them.
    public func onEveryRunningLoop(_ body: @escaping (Int, EventLoop) -> Void) {
        for (index, loop) in loops.enumerated() {
            _ = try? perform(on: loop) { () throws(EventLoopError) in body(index, loop) }
        }
    }

    // MARK: Listening

    /// Binds `address` on every loop with `bind(loopIndex, address, reusePort)` and returns
    /// what each call returned, in loop order. `bind` runs on the loop it is for and reports
    /// the port it bound through `port`. With port 0 the port is first picked exclusively (see
    /// `ExclusivePortPicker`), then every loop binds it; a stranger taking it in between
    /// makes the first bind fail with EADDRINUSE, and another port is picked. With one loop
    /// nothing is shared and SO_REUSEPORT stays off.
    public func listenOnEveryLoop<Bound>(
        _ address: SocketAddress,
        port: @escaping (Bound) -> UInt16,
        bind: @escaping (Int, SocketAddress, Bool) throws(EventLoopError) -> Bound
    ) throws(EventLoopError) -> [Bound] {
        let reusePort = loops.count > 1
        var attempts = 0
        var first: Bound
        while true {
            attempts += 1
            var target = address
            if reusePort, address.port == 0 {
                guard let picked = ExclusivePortPicker.pick(on: address) else {
                    throw EventLoopError(code: -EADDRINUSE, operation: "no free port on \(address)")
                }
                target = address.withPort(picked)
            }
            do {
                first = try perform(on: loops[0]) { () throws(EventLoopError) in try bind(0, target, reusePort) }
                break
            } catch {
                guard reusePort, address.port == 0, attempts < 8, error.name == "EADDRINUSE" else { throw error }
            }
        }
        let shared = address.withPort(port(first))
        var bound = [first]
        for (index, loop) in loops.enumerated().dropFirst() {
            bound.append(try perform(on: loop) { () throws(EventLoopError) in try bind(index, shared, true) })
        }
        return bound
    }

    // MARK: Lifecycle

    /// Watches the control signals on `loops[0]` and blocks the calling thread until the server
    /// has stopped: after SIGTERM or SIGINT (or ``beginStop()``) it calls
    /// `lifecycle.stopAccepting`, waits until no connection of the budget is open or
    /// `lifecycle.drainTimeout` has passed, calls `lifecycle.closeRemaining` at the deadline, and
    /// then stops every loop (closing their handles) and joins their threads. A second stop
    /// signal during the drain cuts it short. SIGHUP calls `lifecycle.reload` between
    /// `RELOADING=1` and `READY=1`; SIGUSR1 calls `lifecycle.userSignal`. `lifecycle.notifier`
    /// hears `READY=1` once the watchers are up (call this after every listener is bound) and
    /// `STOPPING=1` when the drain begins.
    public func run(_ lifecycle: ServerLifecycle) throws(EventLoopError) {
        let controller = LifecycleController(server: self, lifecycle: lifecycle, state: lifecycleState)
        try perform(on: loops[0]) { () throws(EventLoopError) in try controller.start() }
        lifecycleState.stopped.wait()
        threads.stopAndJoin()
    }

    /// Does what SIGTERM does; from any thread. Before ``run(_:)`` it is remembered and done as
    /// soon as `run` has started.
    public func beginStop() {
        lifecycleState.requestStop { controller in
            loops[0].execute { controller.beginStop() }
        }
    }

    /// Does what SIGHUP does; from any thread. Before ``run(_:)`` it has no effect.
    public func beginReload() {
        lifecycleState.withController { controller in
            loops[0].execute { controller.reload() }
        }
    }

    private static func unblockControlSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in [SIGHUP, SIGTERM, SIGINT, SIGUSR1] { sigaddset(&signals, number) }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}

/// The result of work done on another loop, written once there and read after `wait()`.
private final class LoopOutcome<Value>: @unchecked Sendable {
    private let done = Latch()
    /// Written before `done` opens and read only after it did.
    private var result: Result<Value, EventLoopError>?

    func finish(_ outcome: Result<Value, EventLoopError>) {
        result = outcome
        done.open()
    }

    func wait() -> Result<Value, EventLoopError> {
        done.wait()
        // finish() set it before opening the latch; wait() returned only after that.
        guard let result else { preconditionFailure("LoopOutcome opened without a result") }
        return result
    }
}
