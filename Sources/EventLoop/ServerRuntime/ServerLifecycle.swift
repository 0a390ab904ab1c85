#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a ``MultiLoopServer`` does on its control signals. Every callback runs on the server's
/// first loop (`loops[0]`); one that needs the other loops reaches them with
/// ``MultiLoopServer/onEveryLoop(_:)``.
public struct ServerLifecycle {
    /// How long SIGTERM/SIGINT waits for open connections to end before `closeRemaining`.
    public var drainTimeout: Duration
    /// SIGHUP: load the configuration again; a failed load keeps the old one.
    public var reload: () -> Void
    /// SIGUSR1 (danegate reopens its audit log).
    public var userSignal: () -> Void
    /// First step of a stop: close the listeners (and UDP sockets), so nothing new arrives.
    public var stopAccepting: () -> Void
    /// At the drain deadline: close the connections still open (each says it was cut).
    public var closeRemaining: () -> Void
    /// Told of each step (systemd's `NOTIFY_SOCKET`), when present.
    public var notifier: SystemdNotifier?

    public init(
        drainTimeout: Duration = .seconds(30),
        reload: @escaping () -> Void = {},
        userSignal: @escaping () -> Void = {},
        stopAccepting: @escaping () -> Void,
        closeRemaining: @escaping () -> Void,
        notifier: SystemdNotifier? = SystemdNotifier.fromEnvironment()
    ) {
        self.drainTimeout = drainTimeout
        self.reload = reload
        self.userSignal = userSignal
        self.stopAccepting = stopAccepting
        self.closeRemaining = closeRemaining
        self.notifier = notifier
    }
}

/// Shared between the thread in ``MultiLoopServer/run(_:)`` and the callers of `beginStop()`.
final class LifecycleState: @unchecked Sendable {
    private let lock = Lock()
    /// Guarded by `lock`; set while `run` runs.
    private var controller: LifecycleController?
    /// Opened once the drain is over; `run` then stops the loops.
    let stopped = Latch()

    /// Guarded by `lock`: a stop asked for before `run` started, done as soon as it does.
    private var stopRequested = false

    /// Returns true when a stop was asked for before.
    func install(_ controller: LifecycleController) -> Bool {
        lock.withLock {
            self.controller = controller
            return stopRequested
        }
    }

    /// Hands the running controller to `body`; before `run` the stop is remembered instead.
    func requestStop(_ body: (LifecycleController) -> Void) {
        let running: LifecycleController? = lock.withLock {
            if controller == nil { stopRequested = true }
            return controller
        }
        if let running { body(running) }
    }

    func withController(_ body: (LifecycleController) -> Void) {
        guard let controller = lock.withLock({ controller }) else { return }
        body(controller)
    }

    func finish() {
        lock.withLock { controller = nil }
        stopped.open()
    }
}

/// The lifecycle on the first loop: signal watchers, the drain and its deadline. Loop thread
/// only, except that the object itself is handed to that loop from other threads.
final class LifecycleController: @unchecked Sendable {
    private unowned let server: MultiLoopServer
    private let lifecycle: ServerLifecycle
    private let state: LifecycleState
    private var watchers: [SignalWatcher] = []
    private var draining = false
    private var finished = false
    private var deadline: LoopTimer?

    init(server: MultiLoopServer, lifecycle: ServerLifecycle, state: LifecycleState) {
        self.server = server
        self.lifecycle = lifecycle
        self.state = state
    }

    private var loop: EventLoop { server.loops[0] }

    func start() throws(EventLoopError) {
        loop.assertInLoopThread()
        let handlers: [(Int32, () -> Void)] = [
            (SIGHUP, { [unowned self] in reload() }),
            (SIGTERM, { [unowned self] in beginStop() }),
            (SIGINT, { [unowned self] in beginStop() }),
            (SIGUSR1, { [unowned self] in lifecycle.userSignal() }),
        ]
        for (number, handler) in handlers {
            watchers.append(try SignalWatcher(loop: loop, signal: number, handler))
        }
        let stopAtOnce = state.install(self)
        lifecycle.notifier?.ready(status: servingStatus)
        if stopAtOnce { beginStop() }
    }

    func reload() {
        loop.assertInLoopThread()
        guard !draining else { return }
        lifecycle.notifier?.reloading()
        lifecycle.reload()
        lifecycle.notifier?.ready(status: servingStatus)
    }

    /// `STATUS=` while serving, with the connection count (across all loops).
    private var servingStatus: String {
        "serving, \(connectionCount(server.connectionBudget.openCount)) open"
    }

    /// SIGTERM or SIGINT: stop accepting, then wait for the connections to end or the deadline.
    /// A second signal during the drain cuts it short.
    func beginStop() {
        loop.assertInLoopThread()
        guard !finished else { return }
        guard !draining else {
            cutAndFinish()
            return
        }
        draining = true
        let open = server.connectionBudget.openCount
        lifecycle.notifier?.stopping(status: "draining, \(connectionCount(open)) open")
        lifecycle.stopAccepting()
        do {
            let timer = try LoopTimer(loop: loop)
            deadline = timer
            timer.start(after: lifecycle.drainTimeout) { [unowned self] in cutAndFinish() }
        } catch {
            // Without a timer there is no deadline to wait for: cut now rather than hang.
            cutAndFinish()
            return
        }
        // Weak: after a drain cut at the deadline the budget keeps this closure, and the
        // controller (with the server's callbacks) must not live on through it.
        let loop = self.loop
        server.connectionBudget.whenNoneOpen { [weak self] in
            guard let controller = self else { return }
            loop.execute { controller.finish() }
        }
    }

    private func cutAndFinish() {
        guard !finished else { return }
        lifecycle.closeRemaining()
        finish()
    }

    private func finish() {
        guard !finished else { return }
        finished = true
        deadline?.close()
        for watcher in watchers { watcher.close() }
        watchers = []
        state.finish()
    }
}

private func connectionCount(_ count: Int) -> String {
    "\(count) connection\(count == 1 ? "" : "s")"
}
