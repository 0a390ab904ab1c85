import EventLoop

/// The end of one exchange, the same for UDP and TCP: its deadline, the transport it holds,
/// and the one outcome it reports.
///
/// Whatever comes first (an answer, a failure, the deadline, or `cancel()`) ends the
/// exchange: the timer and the transport are released at once, and the outcome (never one
/// after `cancel()`) is reported exactly once, so a late datagram, a late connect or a timer
/// that fires anyway cannot report twice.
final class ExchangeCompletion {
    let loop: EventLoop
    let server: SocketAddress
    private var onOutcome: ((ExchangeOutcome) -> Void)?
    private var timer: LoopTimer?
    private var releaseTransport: (() -> Void)?

    init(loop: EventLoop, server: SocketAddress, onOutcome: @escaping (ExchangeOutcome) -> Void) {
        self.loop = loop
        self.server = server
        self.onOutcome = onOutcome
    }

    /// False once the exchange has ended, reported or cancelled.
    var isPending: Bool { onOutcome != nil }

    /// Arms the deadline; `onTimeout` runs only if the exchange is still pending then.
    func startDeadline(after timeout: Duration, _ onTimeout: @escaping () -> Void) throws(EventLoopError) {
        let timer = try LoopTimer(loop: loop)
        self.timer = timer
        timer.start(after: timeout) { [weak self] in
            guard let self, isPending else { return }
            onTimeout()
        }
    }

    /// Hands over the socket or stream: `release` closes it when the exchange ends.
    func hold(releasing release: @escaping () -> Void) {
        releaseTransport = release
    }

    func fail(_ code: ResolverError.Code, _ reason: String) {
        finish(.failed(ExchangeFailure(code: code, server: server, reason: reason)))
    }

    /// Reports a failure on a later turn of the loop: a failure to open or send is never
    /// reported from inside `start`, whose caller is not ready for it yet.
    func failLater(_ code: ResolverError.Code, _ reason: String) {
        loop.later { [self] in fail(code, reason) }
    }

    func finish(_ outcome: ExchangeOutcome) {
        guard let onOutcome else { return }
        // Reporting may drop the last reference to the exchange, and with it to this.
        withExtendedLifetime(self) {
            cancel()
            onOutcome(outcome)
        }
    }

    func cancel() {
        onOutcome = nil
        timer?.close()
        timer = nil
        releaseTransport?()
        releaseTransport = nil
    }
}
