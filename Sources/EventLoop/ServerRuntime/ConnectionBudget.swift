/// The connections a server may hold open at once (`max-connections`), counted across every
/// loop of a ``MultiLoopServer``; safe from any thread.
///
/// A ``TCPListener`` with a budget takes a place before it calls accept(2). When none is left
/// the listener stops polling, so the next client waits in the kernel's backlog rather than
/// being accepted and dropped; when a connection ends (`give()`), every listener that stopped
/// for the budget is woken on its own loop and accepts again. (ghostunnel takes its connection
/// limit before accept for the same reason.)
public final class ConnectionBudget: @unchecked Sendable {
    /// The most connections open at once.
    public let limit: Int
    private let lock = Lock()
    /// Guarded by `lock`.
    private var open = 0
    /// Listeners stopped for the budget, to wake when a place frees up. Guarded by `lock`.
    private var waiting: [ObjectIdentifier: TCPListener] = [:]
    /// Called once when the count drops to zero (a drain waits for it). Guarded by `lock`.
    private var whenEmpty: [@Sendable () -> Void] = []

    /// `limit` below 1 counts as 1. `Int.max` counts connections without limiting them.
    public init(limit: Int = .max) { self.limit = max(1, limit) }

    /// The connections open now.
    public var openCount: Int { lock.withLock { open } }

    /// Counts one more connection; false (and nothing counted) when the limit is reached.
    public func take() -> Bool {
        lock.withLock {
            guard open < limit else { return false }
            open += 1
            return true
        }
    }

    /// Like `take()`, and when the limit is reached `listener` is woken (`budgetHasRoom()` on
    /// its loop) by the next `give()`. Deciding and registering under one lock means a place
    /// freed in between cannot be missed.
    func take(orWake listener: TCPListener) -> Bool {
        lock.withLock {
            guard open < limit else {
                waiting[ObjectIdentifier(listener)] = listener
                return false
            }
            open += 1
            return true
        }
    }

    /// Counts one connection fewer, wakes the listeners waiting for a place and, at zero, runs
    /// what waits for the count to drop to zero.
    public func give() {
        let (toWake, emptied): ([TCPListener], [@Sendable () -> Void]) = lock.withLock {
            open = max(0, open - 1)
            let listeners = Array(waiting.values)
            waiting.removeAll()
            guard open == 0 else { return (listeners, []) }
            defer { whenEmpty.removeAll() }
            return (listeners, whenEmpty)
        }
        for listener in toWake {
            listener.loop.execute { listener.budgetHasRoom() }
        }
        for body in emptied { body() }
    }

    /// Runs `body` (on the calling thread) once no connection is open: at once if none is,
    /// otherwise from the `give()` that closes the last one.
    public func whenNoneOpen(_ body: @escaping @Sendable () -> Void) {
        let now: Bool = lock.withLock {
            guard open > 0 else { return true }
            whenEmpty.append(body)
            return false
        }
        if now { body() }
    }

    /// A closing listener is no longer woken.
    func forget(_ listener: TCPListener) {
        lock.withLock { waiting[ObjectIdentifier(listener)] = nil }
    }
}
