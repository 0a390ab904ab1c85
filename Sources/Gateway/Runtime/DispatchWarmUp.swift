import Dispatch

/// libdispatch creates its epoll descriptor the first time a worker thread of Swift's global
/// executor starts, and aborts the process (SIGILL in `_dispatch_epoll_init`) if it cannot:
/// when that first happens while accept(2) has used every descriptor (EMFILE under a low
/// `ulimit -n`), the gateway would die instead of backing off. Starting one worker at start-up,
/// while descriptors are free, makes the later ones safe.
enum DispatchWarmUp {
    /// Idempotent; blocks until a worker thread of the global executor has run.
    static func ensure() {
        let done = DispatchSemaphore(value: 0)
        Task.detached { done.signal() }
        done.wait()
    }
}
