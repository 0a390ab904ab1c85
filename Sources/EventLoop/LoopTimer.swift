internal import CLibUV

/// A libuv timer (`uv_timer_t`): one-shot or repeating, cancellable, re-armable.
public final class LoopTimer: LoopHandle, @unchecked Sendable {
    private var handler: (() -> Void)?

    public init(loop: EventLoop) throws(EventLoopError) {
        loop.assertInLoopThread()
        super.init(loop: loop, type: uv_timer_t.self)
        try EventLoopError.check(uv_timer_init(loop.uvLoop, pointer(as: uv_timer_t.self)), "uv_timer_init")
        didInitialize()
    }

    /// Arms the timer: `handler` runs after `delay`, then every `interval` if one is given.
    /// Arming again replaces the previous schedule.
    public func start(after delay: Duration, repeating interval: Duration? = nil, _ handler: @escaping () -> Void) {
        loop.assertInLoopThread()
        guard isOpen else { return }
        self.handler = handler
        uv_timer_start(
            pointer(as: uv_timer_t.self), loopTimerCallback, delay.wholeMilliseconds,
            interval?.wholeMilliseconds ?? 0)
    }

    /// Disarms the timer; the handler will not run until `start` is called again.
    public func cancel() {
        loop.assertInLoopThread()
        guard isOpen else { return }
        uv_timer_stop(pointer(as: uv_timer_t.self))
        handler = nil
    }

    fileprivate func fire() {
        guard let handler else { return }
        if uv_timer_get_repeat(pointer(as: uv_timer_t.self)) == 0 {
            self.handler = nil
        }
        handler()
    }

    override func didClose() {
        handler = nil
    }
}

extension EventLoop {
    /// Runs `body` once after `delay` on this loop, with a timer that closes itself.
    /// Must be called on the loop's thread.
    public func schedule(after delay: Duration, _ body: @escaping () -> Void) throws(EventLoopError) {
        let timer = try LoopTimer(loop: self)
        timer.start(after: delay) { [unowned timer] in
            timer.close()
            body()
        }
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded up so a short delay never becomes zero;
    /// negative durations count as zero.
    var wholeMilliseconds: UInt64 {
        let (seconds, attoseconds) = components
        if seconds < 0 { return 0 }
        let millisecondsFromFraction = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return UInt64(seconds) * 1000 + UInt64(max(0, millisecondsFromFraction))
    }
}

private func loopTimerCallback(_ timer: UnsafeMutablePointer<uv_timer_t>?) {
    loopHandleObject(timer, as: LoopTimer.self)?.fire()
}
