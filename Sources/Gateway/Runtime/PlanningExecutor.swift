import EventLoop

/// Runs the gateway's planning tasks (DNS lookups, DNSSEC validation) on a thread of their own
/// rather than on Swift's shared cooperative pool, so a host application (or a test runner)
/// that blocks the pool's few threads cannot stall every new connection (SE-0417 task
/// executors; default actors such as the validator follow the task's preference).
final class PlanningExecutor: TaskExecutor, @unchecked Sendable {
    private let thread: EventLoopThread

    init() throws(EventLoopError) {
        thread = try EventLoopThread()
    }

    deinit {
        thread.stopAndJoin()
    }

    /// True on the executor's own thread.
    var isCurrent: Bool { thread.loop.inLoopThread }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        _ = thread.loop.execute { job.runSynchronously(on: executor) }
    }
}
