/// What one end of a byte stream reports to its owner.
public enum ByteStreamEvent {
    /// Bytes from the peer. The buffer is the loop's shared read buffer: valid only during
    /// the callback; copy what must outlive it.
    case data(UnsafeRawBufferPointer)
    /// The peer closed its write side (a FIN, or TLS close_notify). We may still write.
    case endOfStream
    /// A read or write failed (reset, broken pipe, ...). The owner should close the stream.
    case error(EventLoopError)
}

/// One end of a bidirectional byte stream, as a `Relay` drives it: a TCP connection now,
/// a TLS session over one later. Every call is made on the end's loop thread.
public protocol ByteStreamEnd: AnyObject {
    /// Receives reads, end of stream and errors (including errors of writes made without a
    /// completion).
    var onEvent: ((ByteStreamEvent) -> Void)? { get set }

    /// Starts or resumes delivering `.data` events. Idempotent.
    func startReading()
    /// Stops delivering `.data` events until `startReading()`. Idempotent.
    func stopReading()

    /// Queues `bytes` for writing, copying whatever cannot be written at once.
    /// Never blocks; watch `queuedWriteBytes` to bound memory.
    func write(_ bytes: UnsafeRawBufferPointer)
    /// Bytes accepted by `write` but not yet handed to the kernel.
    var queuedWriteBytes: Int { get }
    /// Runs `body` once `queuedWriteBytes` is at most `threshold` (at once if it already is).
    /// A later call replaces an earlier one that has not run yet.
    func whenQueuedWriteBytes(atMost threshold: Int, _ body: @escaping () -> Void)

    /// Closes our write side after the queued bytes are written (TCP FIN, TLS close_notify);
    /// reading goes on.
    func shutdownWrite(_ completion: @escaping (EventLoopError?) -> Void)

    /// Closes both directions, dropping queued writes; `completion` runs once closed.
    func close(_ completion: (() -> Void)?)
}
