import EventLoop

/// The local client's end of a gateway connection. Until the upstream is authenticated it
/// only collects: the client's early bytes wait here, in a buffer of `limit` bytes (plus at
/// most the one read that crossed it, 64 KiB); when it is full the client is no longer read, so the kernel's socket buffers and TCP flow
/// control hold the rest (DESIGN rule 1: nothing goes upstream before authentication, and
/// early bytes are bounded). Once released, it delivers the held bytes (through the HTTP
/// rewriter when there is one), a held end of stream, then the client's stream as it comes.
/// Touched only on its loop.
final class HeldClientEnd: ByteStreamEnd, @unchecked Sendable {
    let stream: TCPStream
    let limit: Int
    var onEvent: ((ByteStreamEvent) -> Void)?
    /// Runs on every early read while held (the front end looks at the prelude).
    var onHeldData: (() -> Void)?
    /// Runs once if the client fails or resets while held.
    var onHeldError: ((EventLoopError) -> Void)?
    /// Rewrites what goes upstream (HTTP Host); nil leaves bytes untouched.
    var rewriter: HTTPRequestRewriter?
    private(set) var held: [UInt8] = []
    /// The most bytes held at once (statistics, and the bound's test).
    private(set) var peakHeld = 0
    private(set) var endOfStreamHeld = false
    /// Set when the client's side failed (a reset) after release: the relay's error was ours.
    private(set) var failedAfterRelease = false
    /// Set once the client's end of stream went to the relay: it has said all it will say.
    private(set) var clientFinished = false
    private var released = false
    private var wantsData = false
    private var closed = false

    init(stream: TCPStream, limit: Int) {
        self.stream = stream
        self.limit = limit
    }

    /// Starts collecting early bytes.
    func hold() {
        stream.onEvent = { [self] event in heldEvent(event) }
        stream.startReading()
    }

    private func heldEvent(_ event: ByteStreamEvent) {
        switch event {
        case .data(let bytes):
            held.append(contentsOf: bytes)
            peakHeld = max(peakHeld, held.count)
            if held.count >= limit { stream.stopReading() }
            onHeldData?()
        case .endOfStream:
            endOfStreamHeld = true
            stream.stopReading()
            onHeldData?()
        case .error(let error):
            stream.stopReading()
            onHeldError?(error)
        }
    }

    /// From now on the client's bytes flow to `onEvent`.
    private func release() {
        guard !released else { return }
        released = true
        stream.onEvent = { [self] event in liveEvent(event) }
    }

    private func liveEvent(_ event: ByteStreamEvent) {
        switch event {
        case .data(let bytes):
            deliver(Array(bytes))
        case .error:
            failedAfterRelease = true
            onEvent?(event)
        case .endOfStream:
            clientFinished = true
            onEvent?(event)
        }
    }

    private func deliver(_ bytes: [UInt8]) {
        guard var rewriter else {
            bytes.withUnsafeBytes { onEvent?(.data($0)) }
            return
        }
        do {
            let output = try rewriter.rewrite(bytes)
            self.rewriter = rewriter
            if !output.isEmpty { output.withUnsafeBytes { onEvent?(.data($0)) } }
        } catch {
            // The client's request could not be framed: its fault, not the upstream's.
            failedAfterRelease = true
            onEvent?(.error(EventLoopError(code: -71, operation: "HTTP request: \(error.detail)")))  // EPROTO
        }
    }

    // MARK: ByteStreamEnd

    func startReading() {
        wantsData = true
        release()
        if !held.isEmpty || endOfStreamHeld {
            // Deliver what was held on the next turn, not inside this call.
            _ = stream.loop.execute { [self] in flushHeld() }
        } else {
            stream.startReading()
        }
    }

    private func flushHeld() {
        guard wantsData, !closed else { return }
        let bytes = held
        held = []
        if !bytes.isEmpty { deliver(bytes) }
        guard wantsData, !closed else { return }
        if endOfStreamHeld {
            endOfStreamHeld = false
            clientFinished = true
            onEvent?(.endOfStream)
        } else {
            stream.startReading()
        }
    }

    func stopReading() {
        wantsData = false
        stream.stopReading()
    }

    func write(_ bytes: UnsafeRawBufferPointer) { stream.write(bytes) }

    var queuedWriteBytes: Int { stream.queuedWriteBytes }

    func whenQueuedWriteBytes(atMost threshold: Int, _ body: @escaping () -> Void) {
        stream.whenQueuedWriteBytes(atMost: threshold, body)
    }

    func shutdownWrite(_ completion: @escaping (EventLoopError?) -> Void) { stream.shutdownWrite(completion) }

    func close(_ completion: (() -> Void)?) {
        closed = true
        stream.onEvent = nil
        stream.close(completion)
    }
}
