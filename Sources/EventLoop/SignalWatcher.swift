internal import CLibUV

/// Watches a Unix signal (SIGHUP, SIGTERM, SIGINT, ...) on a loop (`uv_signal_t`): the handler
/// runs on the loop's thread, not in signal context.
public final class SignalWatcher: LoopHandle, @unchecked Sendable {
    public let signalNumber: Int32
    private var handler: (() -> Void)?

    /// Starts watching `signalNumber` at once.
    public init(loop: EventLoop, signal signalNumber: Int32, _ handler: @escaping () -> Void) throws(EventLoopError) {
        loop.assertInLoopThread()
        self.signalNumber = signalNumber
        self.handler = handler
        super.init(loop: loop, type: uv_signal_t.self)
        let signal = pointer(as: uv_signal_t.self)
        try EventLoopError.check(uv_signal_init(loop.uvLoop, signal), "uv_signal_init")
        didInitialize()
        let status = uv_signal_start(signal, signalWatcherCallback, signalNumber)
        if status < 0 {
            close()
            throw EventLoopError(code: status, operation: "uv_signal_start")
        }
    }

    fileprivate func fire() { handler?() }

    override func didClose() { handler = nil }
}

private func signalWatcherCallback(_ signal: UnsafeMutablePointer<uv_signal_t>?, _ number: Int32) {
    loopHandleObject(signal, as: SignalWatcher.self)?.fire()
}
