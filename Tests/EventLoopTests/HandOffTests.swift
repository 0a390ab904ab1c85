import EventLoop
import Foundation
import Testing

@Suite("Cross-thread hand-off", .timeLimit(.minutes(3)))
struct HandOffTests {
    /// Records, on the loop thread, which work items ran.
    final class Log: @unchecked Sendable {
        var entries: [(sender: Int, index: Int)] = []
        var allOnLoopThread = true
    }

    @Test("work handed off from many threads runs on the loop, in order per thread")
    func handOffFromManyThreadsRunsInOrderOnLoop() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let log = Log()
        let senders = 4
        let perSender = 2_000
        DispatchQueue.concurrentPerform(iterations: senders) { sender in
            for index in 0..<perSender {
                loop.execute {
                    if !loop.inLoopThread { log.allOnLoopThread = false }
                    log.entries.append((sender, index))
                }
            }
        }
        // Queued after every item above, so it runs last.
        let entries: [(sender: Int, index: Int)] = try await onLoop(loop) { promise in
            promise.succeed(log.entries.map { (sender: $0.sender, index: $0.index) })
        }
        #expect(entries.count == senders * perSender)
        #expect(log.allOnLoopThread)
        for sender in 0..<senders {
            let indices = entries.filter { $0.sender == sender }.map(\.index)
            #expect(indices == Array(0..<perSender))
        }
    }

    @Test("a loop group runs each loop on its own thread")
    func loopGroupRunsLoopsOnSeparateThreads() async throws {
        let group = try EventLoopGroup(threadCount: 3)
        defer { group.stopAndJoin() }
        var threadIDs: Set<UInt> = []
        for _ in 0..<3 {
            let loop = group.next()
            let id: UInt = try await onLoop(loop) { promise in
                promise.succeed(UInt(pthread_self()))
            }
            threadIDs.insert(id)
        }
        #expect(threadIDs.count == 3)
    }

    /// Holds handles made on the loop so the test can look at them after the thread ended.
    final class Handles: @unchecked Sendable {
        var timers: [LoopTimer] = []
    }

    @Test("stop closes open handles, and work handed off after stop is refused")
    func stopClosesHandlesAndRefusesWork() async throws {
        let thread = try makeLoopThread()
        let loop = thread.loop
        let handles = Handles()
        let openBefore: Int = try await onLoop(loop) { promise in
            let closing = try LoopTimer(loop: loop)
            closing.start(after: .seconds(3600)) {}
            closing.close()  // stop() must cope with a handle already closing
            let open = try LoopTimer(loop: loop)
            open.start(after: .seconds(3600)) {}
            let idle = try LoopTimer(loop: loop)  // open but never started
            handles.timers = [closing, open, idle]
            promise.succeed(handles.timers.filter(\.isOpen).count)
        }
        #expect(openBefore == 2)
        thread.stopAndJoin()
        // The loop thread has ended, so reading the handles here races with nothing.
        #expect(handles.timers.allSatisfy { !$0.isOpen })
        #expect(loop.execute {} == false)
    }
}

/// An owner whose last reference goes away in one of its loop's callbacks stops the thread from
/// that very thread (as `deinit`s of resolvers and executors do): the thread is detached and
/// ends by itself instead of trapping on a join with itself.
@Suite struct StopFromOwnThreadTests {
    @Test func stopAndJoinFromTheLoopsOwnThreadDetaches() throws {
        let thread = try EventLoopThread()
        let done = DispatchSemaphore(value: 0)
        #expect(thread.loop.execute {
            thread.stopAndJoin()
            done.signal()
        })
        #expect(done.wait(timeout: .now() + 10) == .success)
        // The stop runs once the callback returned: then the loop takes no more work.
        let deadline = Date().addingTimeInterval(10)
        while thread.loop.execute({}), Date() < deadline { usleep(1_000) }
        #expect(!thread.loop.execute {})
        thread.stopAndJoin()
    }
}
