import Dispatch

/// libdispatch creates its epoll descriptor the first time one of its worker threads (those of
/// Swift's global executor) starts, and aborts the process (SIGILL in `_dispatch_epoll_init`)
/// if it cannot: when that first happens while accept(2) has used every descriptor (EMFILE
/// under a low `ulimit -n`), the gateway would die instead of backing off. Starting one worker
/// at start-up, while descriptors are free, makes the later ones safe.
public enum DispatchWarmUp {
    /// Blocks until a worker of the global executor has run. Call it from a thread that is not
    /// one of those workers (`main` of an executable): there it cannot starve the pool.
    public static func startGlobalExecutorWorker() {
        let done = DispatchSemaphore(value: 0)
        Task.detached { done.signal() }
        done.wait()
    }
}
