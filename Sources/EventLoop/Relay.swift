internal import CLibUV

/// What a finished relay did.
public struct RelayReport: Sendable, Equatable {
    /// Bytes read from the first end and written to the second.
    public var bytesFirstToSecond: Int = 0
    /// Bytes read from the second end and written to the first.
    public var bytesSecondToFirst: Int = 0
    /// Why the relay ended early, or nil when both directions ended cleanly.
    public var error: EventLoopError?

    public init(bytesFirstToSecond: Int = 0, bytesSecondToFirst: Int = 0, error: EventLoopError? = nil) {
        self.bytesFirstToSecond = bytesFirstToSecond
        self.bytesSecondToFirst = bytesSecondToFirst
        self.error = error
    }
}

/// A bidirectional byte pump between two stream ends.
///
/// Backpressure: when one end's write queue grows above `highWatermark`, the relay stops
/// reading the other end until the queue drains to `lowWatermark`, so memory per relay stays
/// bounded whatever the speeds of the two peers.
///
/// Half-close: each direction ends on its own. The first end's end of stream shuts down the
/// second end's write side (after its queued bytes), while bytes keep flowing the other way.
/// The relay finishes when both directions have ended, or at the first error; then it closes
/// both ends and reports the byte counts.
///
/// Deadlines (optional, they need the loop for a timer): `idleTimeout` ends a relay on which no
/// byte moved for that long; `halfCloseTimeout` ends a relay whose other direction is still
/// open that long after one direction ended, so a peer that never closes cannot pin it.
/// Either ends the relay with `ETIMEDOUT`.
public final class Relay {
    public let first: ByteStreamEnd
    public let second: ByteStreamEnd
    public let highWatermark: Int
    public let lowWatermark: Int
    public let idleTimeout: Duration?
    public let halfCloseTimeout: Duration?
    private let loop: EventLoop?
    private var deadlineTimer: LoopTimer?
    /// Loop time (ms) of the last byte moved, and when the first direction ended.
    private var lastActivity: UInt64 = 0
    private var halfClosedAt: UInt64?

    private var report = RelayReport()
    private var onFinish: ((RelayReport) -> Void)?
    private var finished = false
    /// Per direction, indexed by the reading end: 0 reads `first`, 1 reads `second`.
    private var sourceEnded = [false, false]
    private var directionDone = [false, false]
    private var sourcePaused = [false, false]

    /// `loop` is needed only for the deadlines.
    public init(
        _ first: ByteStreamEnd, _ second: ByteStreamEnd,
        highWatermark: Int = 1 << 20, lowWatermark: Int = 256 << 10,
        loop: EventLoop? = nil, idleTimeout: Duration? = nil, halfCloseTimeout: Duration? = nil
    ) {
        precondition(lowWatermark <= highWatermark, "lowWatermark above highWatermark")
        precondition(loop != nil || (idleTimeout == nil && halfCloseTimeout == nil), "deadlines need the loop")
        self.first = first
        self.second = second
        self.highWatermark = highWatermark
        self.lowWatermark = lowWatermark
        self.loop = loop
        self.idleTimeout = idleTimeout
        self.halfCloseTimeout = halfCloseTimeout
    }

    /// Starts pumping. The relay keeps itself alive (through the ends' callbacks) until it
    /// finishes; `onFinish` runs once.
    public func start(onFinish: @escaping (RelayReport) -> Void) {
        self.onFinish = onFinish
        first.onEvent = { [self] event in handle(event, readFrom: 0) }
        second.onEvent = { [self] event in handle(event, readFrom: 1) }
        first.startReading()
        second.startReading()
        if let loop {
            lastActivity = loop.nowMilliseconds
            armDeadline()
        }
    }

    /// Ends the relay now, closing both ends (queued bytes are dropped).
    public func cancel(_ error: EventLoopError? = nil) {
        finish(error)
    }

    private func end(_ index: Int) -> ByteStreamEnd { index == 0 ? first : second }

    private func handle(_ event: ByteStreamEvent, readFrom source: Int) {
        guard !finished else { return }
        let sink = 1 - source
        switch event {
        case .data(let bytes):
            if let loop { lastActivity = loop.nowMilliseconds }
            end(sink).write(bytes)
            if source == 0 {
                report.bytesFirstToSecond += bytes.count
            } else {
                report.bytesSecondToFirst += bytes.count
            }
            if end(sink).queuedWriteBytes > highWatermark, !sourcePaused[source] {
                pause(source)
            }
        case .endOfStream:
            sourceEnded[source] = true
            end(sink).shutdownWrite { [self] error in
                if let error {
                    finish(error)
                    return
                }
                directionDone[source] = true
                if directionDone[0] && directionDone[1] {
                    finish(nil)
                } else if let loop, halfClosedAt == nil {
                    halfClosedAt = loop.nowMilliseconds
                    armDeadline()
                }
            }
        case .error(let error):
            finish(error)
        }
    }

    /// Stops reading `source` until its sink's queue has drained to the low watermark.
    private func pause(_ source: Int) {
        sourcePaused[source] = true
        end(source).stopReading()
        end(1 - source).whenQueuedWriteBytes(atMost: lowWatermark) { [self] in
            sourcePaused[source] = false
            if !finished && !sourceEnded[source] {
                end(source).startReading()
            }
        }
    }

    /// The earliest deadline in loop milliseconds, if any applies.
    private func nextDeadline() -> UInt64? {
        var deadlines: [UInt64] = []
        if let idleTimeout { deadlines.append(lastActivity + idleTimeout.wholeMilliseconds) }
        if let halfCloseTimeout, let halfClosedAt {
            deadlines.append(halfClosedAt + halfCloseTimeout.wholeMilliseconds)
        }
        return deadlines.min()
    }

    /// (Re)arms the one deadline timer. Activity only moves `lastActivity`; the timer checks
    /// it when it fires, so busy relays do not re-arm a timer for every read.
    private func armDeadline() {
        guard let loop, !finished, let deadline = nextDeadline() else { return }
        if deadlineTimer == nil {
            do {
                deadlineTimer = try LoopTimer(loop: loop)
            } catch {
                // Without a timer the relay would have no deadline: end it instead.
                finish(error)
                return
            }
        }
        let now = loop.nowMilliseconds
        let delay = deadline > now ? deadline - now : 0
        deadlineTimer?.start(after: .milliseconds(Int64(clamping: delay))) { [self] in
            guard !finished, let deadline = nextDeadline() else { return }
            if loop.nowMilliseconds >= deadline {
                finish(EventLoopError(code: Int32(UV_ETIMEDOUT.rawValue), operation: "relay deadline"))
            } else {
                armDeadline()
            }
        }
    }

    private func finish(_ error: EventLoopError?) {
        guard !finished else { return }
        finished = true
        deadlineTimer?.close()
        deadlineTimer = nil
        report.error = error
        // Dropping the callbacks breaks the cycle relay -> end -> closure -> relay.
        first.onEvent = nil
        second.onEvent = nil
        first.close(nil)
        second.close(nil)
        let onFinish = self.onFinish
        self.onFinish = nil
        onFinish?(report)
    }
}
