/// Connection attempts to every address of a host, staggered as RFC 8305 (Happy Eyeballs v2)
/// says: the families interleaved, IPv6 first (§4), a new attempt every `attemptDelay` (§5,
/// 250 ms recommended) or as soon as the previous one failed, the first connection wins and
/// the others are closed. A dead family (an AAAA where nothing listens) costs one failed
/// attempt, not the connection.
public final class HappyEyeballs {
    /// Why no address connected: each address tried with its error.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var attempts: [(address: SocketAddress, error: EventLoopError)]
        public var timedOut: Bool

        public var description: String {
            if attempts.isEmpty { return timedOut ? "timed out" : "no address to connect to" }
            let tried = attempts.map { "\($0.address): \($0.error)" }.joined(separator: "; ")
            return timedOut ? "timed out after \(tried)" : tried
        }
    }

    /// Called once on the loop with the first connected stream and its address, or every failure.
    public typealias Completion = (Result<(TCPStream, SocketAddress), Failure>) -> Void

    private let loop: EventLoop
    private let addresses: [SocketAddress]
    private let attemptDelay: Duration
    private let timeout: Duration
    private var completion: Completion?
    private var next = 0
    private var inFlight = 0
    private var failure = Failure(attempts: [], timedOut: false)
    private var staggerTimer: LoopTimer?
    private var deadline: LoopTimer?

    /// RFC 8305 §4: interleave the families, IPv6 first, keeping each family's own order.
    public static func preferenceOrder(_ addresses: [SocketAddress]) -> [SocketAddress] {
        let six = addresses.filter { $0.family == .ipv6 }
        let four = addresses.filter { $0.family == .ipv4 }
        var ordered: [SocketAddress] = []
        for index in 0..<max(six.count, four.count) {
            if index < six.count { ordered.append(six[index]) }
            if index < four.count { ordered.append(four[index]) }
        }
        return ordered
    }

    private init(loop: EventLoop, addresses: [SocketAddress], attemptDelay: Duration, timeout: Duration) {
        self.loop = loop
        self.addresses = addresses
        self.attemptDelay = attemptDelay
        self.timeout = timeout
    }

    /// Connects to the first address of `addresses` (already in preference order) that answers;
    /// `completion` runs once on the loop, never inside this call. Call on the loop's thread.
    public static func connect(
        loop: EventLoop, to addresses: [SocketAddress], attemptDelay: Duration = .milliseconds(250),
        timeout: Duration, _ completion: @escaping Completion
    ) {
        loop.assertInLoopThread()
        let race = HappyEyeballs(loop: loop, addresses: addresses, attemptDelay: attemptDelay, timeout: timeout)
        race.completion = completion
        guard !addresses.isEmpty else {
            loop.deferOnLoop { race.finish(.failure(race.failure)) }
            return
        }
        if let timer = try? LoopTimer(loop: loop) {
            race.deadline = timer
            timer.start(after: timeout) { [race] in
                race.failure.timedOut = true
                race.finish(.failure(race.failure))
            }
        }
        race.startNextAttempt()
    }

    private func startNextAttempt() {
        guard completion != nil, next < addresses.count else { return }
        let address = addresses[next]
        next += 1
        inFlight += 1
        TCPStream.connect(loop: loop, to: address, timeout: timeout) { [self] result in
            inFlight -= 1
            switch result {
            case .success(let stream):
                guard completion != nil else {
                    stream.close()
                    return
                }
                finish(.success((stream, address)))
            case .failure(let error):
                failure.attempts.append((address, error))
                guard completion != nil else { return }
                if next < addresses.count {
                    startNextAttempt()
                } else if inFlight == 0 {
                    finish(.failure(failure))
                }
            }
        }
        // §5: the next attempt starts after the delay even if this one is still pending.
        if next < addresses.count {
            if staggerTimer == nil { staggerTimer = try? LoopTimer(loop: loop) }
            staggerTimer?.start(after: attemptDelay) { [self] in startNextAttempt() }
        }
    }

    private func finish(_ result: Result<(TCPStream, SocketAddress), Failure>) {
        guard let completion else { return }
        self.completion = nil
        staggerTimer?.close()
        staggerTimer = nil
        deadline?.close()
        deadline = nil
        completion(result)
    }
}
