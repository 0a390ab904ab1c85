#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread of its own running one `EventLoop`.
///
/// `init` returns once the loop runs on the new thread, so `loop.inLoopThread` is right from
/// then on. Reach the loop with `loop.execute { ... }`.
public final class EventLoopThread: @unchecked Sendable {
    public let loop: EventLoop
    private var thread: pthread_t?
    private let joinLock = Lock()

    public init() throws(EventLoopError) {
        loop = try EventLoop()
        let started = Latch()
        let loop = self.loop
        let context = Unmanaged.passRetained(ThreadContext { loop.run() }).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let status = pthread_create(&thread, nil, eventLoopThreadMain, context)
        if status != 0 {
            Unmanaged<ThreadContext>.fromOpaque(context).release()
            throw EventLoopError(errno: status, operation: "pthread_create")
        }
        self.thread = thread
        // The first queued work runs after run() has taken the thread as the loop's owner.
        loop.execute { started.open() }
        started.wait()
    }

    /// Stops the loop (closing its handles) and waits for the thread to end. Idempotent.
    ///
    /// From the loop's own thread (an owner whose last reference went away in one of the loop's
    /// callbacks, as in a `deinit`) it cannot wait for itself: the thread is detached and ends
    /// on its own once the callback returns and the stop has run.
    public func stopAndJoin() {
        loop.stop()
        let toJoin: pthread_t? = joinLock.withLock {
            defer { thread = nil }
            return thread
        }
        guard let toJoin else { return }
        if loop.inLoopThread {
            pthread_detach(toJoin)
        } else {
            pthread_join(toJoin, nil)
        }
    }

    deinit {
        guard let thread else { return }
        loop.stop()
        if loop.inLoopThread {
            // Released from inside its own loop: the thread ends on its own after stop().
            pthread_detach(thread)
        } else {
            pthread_join(thread, nil)
        }
    }
}

/// Several loops on several threads, handed out round robin (one loop per core is typical).
public final class EventLoopGroup: @unchecked Sendable {
    public let threads: [EventLoopThread]
    private let lock = Lock()
    private var nextIndex = 0

    public init(threadCount: Int) throws(EventLoopError) {
        precondition(threadCount > 0, "an EventLoopGroup needs at least one thread")
        var threads: [EventLoopThread] = []
        for _ in 0..<threadCount {
            threads.append(try EventLoopThread())
        }
        self.threads = threads
    }

    public var loops: [EventLoop] { threads.map(\.loop) }

    /// The next loop, round robin. Safe from any thread.
    public func next() -> EventLoop {
        lock.withLock {
            defer { nextIndex = (nextIndex + 1) % threads.count }
            return threads[nextIndex].loop
        }
    }

    /// Stops every loop and joins every thread.
    public func stopAndJoin() {
        for thread in threads { thread.stopAndJoin() }
    }
}

private final class ThreadContext {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

#if canImport(Glibc)
private func eventLoopThreadMain(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let argument else { return nil }
    Unmanaged<ThreadContext>.fromOpaque(argument).takeRetainedValue().body()
    return nil
}
#else
private func eventLoopThreadMain(_ argument: UnsafeMutableRawPointer) -> UnsafeMutableRawPointer? {
    Unmanaged<ThreadContext>.fromOpaque(argument).takeRetainedValue().body()
    return nil
}
#endif
