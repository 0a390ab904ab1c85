import EventLoop
import Testing

/// A stream end driven by the test: it records what the relay asks of it, and the test
/// decides when its queue drains and when its shutdown completes. It shows that a `Relay`
/// needs nothing of TCP, so a TLS end can take the place of either side.
final class ScriptedStreamEnd: ByteStreamEnd {
    var onEvent: ((ByteStreamEvent) -> Void)?
    private(set) var isReading = false
    private(set) var written: [UInt8] = []
    private(set) var queued = 0
    private(set) var closed = false
    private var drainWaiter: (threshold: Int, body: () -> Void)?
    private(set) var pendingShutdown: ((EventLoopError?) -> Void)?

    func startReading() { isReading = true }
    func stopReading() { isReading = false }

    func write(_ bytes: UnsafeRawBufferPointer) {
        written += bytes
        queued += bytes.count
    }

    var queuedWriteBytes: Int { queued }

    func whenQueuedWriteBytes(atMost threshold: Int, _ body: @escaping () -> Void) {
        if queued <= threshold {
            body()
        } else {
            drainWaiter = (threshold, body)
        }
    }

    func shutdownWrite(_ completion: @escaping (EventLoopError?) -> Void) {
        pendingShutdown = completion
    }

    func close(_ completion: (() -> Void)?) {
        closed = true
        onEvent = nil
        completion?()
    }

    // What the test does to this end.

    func receive(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { onEvent?(.data($0)) }
    }

    func receiveEndOfStream() { onEvent?(.endOfStream) }

    func fail(_ error: EventLoopError) { onEvent?(.error(error)) }

    func drain(to remaining: Int) {
        queued = remaining
        if let waiter = drainWaiter, queued <= waiter.threshold {
            drainWaiter = nil
            waiter.body()
        }
    }

    func completeShutdown(_ error: EventLoopError? = nil) {
        let completion = pendingShutdown
        pendingShutdown = nil
        completion?(error)
    }
}

@Suite("Relay logic", .timeLimit(.minutes(3)))
struct RelayLogicTests {
    @Test("the relay stops reading a source while its sink is over the high watermark, and resumes at the low one")
    func backpressurePausesAndResumes() {
        let first = ScriptedStreamEnd()
        let second = ScriptedStreamEnd()
        let relay = Relay(first, second, highWatermark: 100, lowWatermark: 10)
        relay.start { _ in }
        #expect(first.isReading && second.isReading)

        first.receive(Array(repeating: 1, count: 60))
        #expect(first.isReading)
        first.receive(Array(repeating: 2, count: 60))
        #expect(!first.isReading, "sink queue 120 > 100: the source must pause")
        #expect(second.isReading, "the other direction is not affected")

        second.drain(to: 50)
        #expect(!first.isReading, "50 is still above the low watermark")
        second.drain(to: 10)
        #expect(first.isReading)
        #expect(second.written == Array(repeating: 1, count: 60) + Array(repeating: 2, count: 60))
        relay.cancel()
    }

    @Test("the first end's end of stream shuts down the second's write side while bytes flow back")
    func halfCloseKeepsReturnDirection() {
        let first = ScriptedStreamEnd()
        let second = ScriptedStreamEnd()
        var report: RelayReport?
        let relay = Relay(first, second)
        relay.start { report = $0 }

        first.receive(Array("request".utf8))
        first.receiveEndOfStream()
        #expect(second.pendingShutdown != nil)
        #expect(first.pendingShutdown == nil)
        second.completeShutdown()
        #expect(report == nil)

        second.receive(Array("response after the client's FIN".utf8))
        #expect(first.written == Array("response after the client's FIN".utf8))
        second.receiveEndOfStream()
        #expect(report == nil, "the relay ends only once the shutdown is done")
        first.completeShutdown()

        #expect(report == RelayReport(bytesFirstToSecond: 7, bytesSecondToFirst: 31, error: nil))
        #expect(first.closed && second.closed)
        _ = relay
    }

    @Test("an error on either end ends the relay and closes both ends")
    func errorEndsRelay() {
        let first = ScriptedStreamEnd()
        let second = ScriptedStreamEnd()
        var report: RelayReport?
        Relay(first, second).start { report = $0 }
        let reset = EventLoopError(code: -104, operation: "read")  // ECONNRESET on Linux
        second.fail(reset)
        #expect(report?.error == reset)
        #expect(first.closed && second.closed)
    }

    @Test("a failed shutdown ends the relay with that error")
    func failedShutdownEndsRelay() {
        let first = ScriptedStreamEnd()
        let second = ScriptedStreamEnd()
        var report: RelayReport?
        Relay(first, second).start { report = $0 }
        first.receiveEndOfStream()
        let notConnected = EventLoopError(code: -107, operation: "shutdown")  // ENOTCONN on Linux
        second.completeShutdown(notConnected)
        #expect(report?.error == notConnected)
        #expect(first.closed && second.closed)
    }
}
