import EventLoop
import Glibc
import Testing

@Suite("Timers", .timeLimit(.minutes(3)))
struct TimerTests {
    @Test("a one-shot timer fires once")
    func oneShotTimerFiresOnce() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let fired: Int = try await onLoop(loop) { promise in
            let timer = try LoopTimer(loop: loop)
            var count = 0
            timer.start(after: .milliseconds(5)) { count += 1 }
            // A later timer sees whether the first fired again in between.
            try loop.schedule(after: .milliseconds(40)) {
                timer.close()
                promise.succeed(count)
            }
        }
        #expect(fired == 1)
    }

    @Test("a repeating timer fires until cancelled")
    func repeatingTimerFiresUntilCancelled() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let fired: Int = try await onLoop(loop) { promise in
            let timer = try LoopTimer(loop: loop)
            var count = 0
            timer.start(after: .milliseconds(1), repeating: .milliseconds(2)) {
                count += 1
                if count == 3 {
                    timer.cancel()
                    // Timers fire in deadline order: had cancel failed, the repeating timer
                    // would fire again before this one.
                    try? loop.schedule(after: .milliseconds(30)) {
                        timer.close()
                        promise.succeed(count)
                    }
                }
            }
        }
        #expect(fired == 3)
    }

    @Test("a cancelled timer does not fire")
    func cancelledTimerDoesNotFire() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let fired: Bool = try await onLoop(loop) { promise in
            let timer = try LoopTimer(loop: loop)
            var didFire = false
            timer.start(after: .milliseconds(5)) { didFire = true }
            timer.cancel()
            try loop.schedule(after: .milliseconds(30)) {
                timer.close()
                promise.succeed(didFire)
            }
        }
        #expect(fired == false)
    }

    @Test("a signal watcher runs its handler on the loop")
    func signalWatcherRunsHandlerOnLoop() async throws {
        let thread = try makeLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let onLoopThread: Bool = try await onLoop(loop) { promise in
            var watcher: SignalWatcher?
            watcher = try SignalWatcher(loop: loop, signal: SIGUSR2) {
                watcher?.close()
                promise.succeed(loop.inLoopThread)
            }
            kill(getpid(), SIGUSR2)
        }
        #expect(onLoopThread)
    }
}
