internal import CLibUV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A connected TCP socket (`uv_tcp_t`): reads into the loop's shared buffer, writes without
/// blocking (writing at once when the kernel has room, copying the rest), reports how much
/// is queued so owners can apply backpressure, and half-closes with `shutdownWrite`.
public final class TCPStream: LoopHandle, ByteStreamEnd, @unchecked Sendable {
    public var onEvent: ((ByteStreamEvent) -> Void)?

    private var reading = false
    private var writeShutdownStarted = false
    /// The first write failure; later writes are dropped (their owner has heard of it).
    private var writeFailure: EventLoopError?
    private var drainWaiter: (threshold: Int, body: () -> Void)?

    /// uv_buf_t lengths are 32-bit; larger writes go in pieces.
    private static let maxWriteChunk = 1 << 30

    init(loop: EventLoop) throws(EventLoopError) {
        loop.assertInLoopThread()
        super.init(loop: loop, type: uv_tcp_t.self)
        try EventLoopError.check(uv_tcp_init(loop.uvLoop, tcp), "uv_tcp_init")
        didInitialize()
    }

    /// Wraps a connected socket that the caller owns until this returns (an accepted fd).
    init(loop: EventLoop, adopting descriptor: Int32) throws(EventLoopError) {
        loop.assertInLoopThread()
        super.init(loop: loop, type: uv_tcp_t.self)
        try EventLoopError.check(uv_tcp_init(loop.uvLoop, tcp), "uv_tcp_init")
        didInitialize()
        let status = uv_tcp_open(tcp, uv_os_sock_t(descriptor))
        if status < 0 {
            close()
            throw EventLoopError(code: status, operation: "uv_tcp_open")
        }
    }

    var tcp: UnsafeMutablePointer<uv_tcp_t> { pointer(as: uv_tcp_t.self) }
    var stream: UnsafeMutablePointer<uv_stream_t> { pointer(as: uv_stream_t.self) }

    // MARK: Reading

    public func startReading() {
        loop.assertInLoopThread()
        guard isOpen, !reading else { return }
        let status = uv_read_start(stream, tcpStreamAllocCallback, tcpStreamReadCallback)
        if status < 0 {
            deliverLater(.error(EventLoopError(code: status, operation: "read start")))
            return
        }
        reading = true
    }

    public func stopReading() {
        loop.assertInLoopThread()
        guard isOpen, reading else { return }
        uv_read_stop(stream)
        reading = false
    }

    /// True while `.data` events are being delivered.
    public var isReading: Bool { reading }

    fileprivate func didRead(_ count: Int, _ base: UnsafeMutablePointer<CChar>?) {
        if count > 0 {
            onEvent?(.data(UnsafeRawBufferPointer(start: base, count: count)))
        } else if count == Int(UV_EOF.rawValue) {
            // libuv stops reading by itself at end of stream.
            reading = false
            onEvent?(.endOfStream)
        } else if count < 0 {
            stopReading()
            onEvent?(.error(EventLoopError(code: Int32(count), operation: "read")))
        }
        // count == 0 is EAGAIN: nothing to report.
    }

    // MARK: Writing

    public func write(_ bytes: UnsafeRawBufferPointer) {
        write(bytes, completion: nil)
    }

    /// Writes `bytes`; `completion`, if given, runs once they are handed to the kernel or the
    /// write failed. Without a completion, a failure is reported as an `.error` event, and bytes
    /// are written at once when nothing is queued (no copy). Completions always run later.
    public func write(_ bytes: UnsafeRawBufferPointer, completion: ((EventLoopError?) -> Void)?) {
        loop.assertInLoopThread()
        guard isOpen, !writeShutdownStarted else {
            let error = EventLoopError(code: Int32(UV_EPIPE.rawValue), operation: "write after close or shutdown")
            if let completion { loop.deferOnLoop { completion(error) } }
            return
        }
        if let writeFailure {
            if let completion { loop.deferOnLoop { completion(writeFailure) } }
            return
        }
        guard bytes.count > 0 else {
            if let completion { loop.deferOnLoop { completion(nil) } }
            return
        }
        if bytes.count > TCPStream.maxWriteChunk {
            var offset = 0
            while offset < bytes.count {
                let end = min(offset + TCPStream.maxWriteChunk, bytes.count)
                let piece = UnsafeRawBufferPointer(rebasing: bytes[offset..<end])
                write(piece, completion: end == bytes.count ? completion : nil)
                offset = end
            }
            return
        }
        var pending = bytes
        if completion == nil && uv_stream_get_write_queue_size(stream) == 0 {
            // Common case on a healthy connection: the kernel takes it all, nothing is copied.
            var buffer = uv_buf_init(
                UnsafeMutablePointer(mutating: bytes.baseAddress?.assumingMemoryBound(to: CChar.self)),
                UInt32(bytes.count))
            let written = uv_try_write(stream, &buffer, 1)
            if written >= 0 {
                if Int(written) == bytes.count { return }
                pending = UnsafeRawBufferPointer(rebasing: bytes[Int(written)...])
            } else if written != Int32(UV_EAGAIN.rawValue) {
                let error = EventLoopError(code: written, operation: "write")
                writeFailure = error
                deliverLater(.error(error))
                return
            }
        }
        let request = takeWriteRequest(capacity: pending.count)
        request.fill(with: pending)
        request.completion = completion
        request.stream = self
        let context = Unmanaged.passRetained(request).toOpaque()
        uv_req_set_data(UnsafeMutableRawPointer(request.request).assumingMemoryBound(to: uv_req_t.self), context)
        var buffer = request.uvBuffer
        let status = uv_write(request.request, stream, &buffer, 1, tcpStreamWriteCallback)
        if status < 0 {
            Unmanaged<WriteRequest>.fromOpaque(context).release()
            request.stream = nil
            request.completion = nil
            let error = EventLoopError(code: status, operation: "write")
            if let completion {
                loop.deferOnLoop { completion(error) }
            } else {
                writeFailure = error
                deliverLater(.error(error))
            }
        }
    }

    public var queuedWriteBytes: Int {
        isOpen ? uv_stream_get_write_queue_size(stream) : 0
    }

    public func whenQueuedWriteBytes(atMost threshold: Int, _ body: @escaping () -> Void) {
        loop.assertInLoopThread()
        if queuedWriteBytes <= threshold {
            drainWaiter = nil
            body()
        } else {
            drainWaiter = (threshold, body)
        }
    }

    private func takeWriteRequest(capacity: Int) -> WriteRequest {
        loop.writeRequestPool.take(capacity: capacity)
    }

    fileprivate func writeDidComplete(_ request: WriteRequest, status: Int32) {
        let completion = request.completion
        request.completion = nil
        request.stream = nil
        loop.writeRequestPool.recycle(request)
        let error = status < 0 ? EventLoopError(code: status, operation: "write") : nil
        if let completion {
            completion(error)
        } else if let error, !error.isCancelled, isOpen, writeFailure == nil {
            writeFailure = error
            onEvent?(.error(error))
        }
        if let waiter = drainWaiter, queuedWriteBytes <= waiter.threshold {
            drainWaiter = nil
            waiter.body()
        }
    }

    // MARK: Half-close

    public func shutdownWrite(_ completion: @escaping (EventLoopError?) -> Void) {
        loop.assertInLoopThread()
        guard isOpen, !writeShutdownStarted else {
            let error = EventLoopError(code: Int32(UV_ENOTCONN.rawValue), operation: "shutdown after close or shutdown")
            loop.deferOnLoop { completion(error) }
            return
        }
        writeShutdownStarted = true
        let request = ShutdownRequest(stream: self, completion: completion)
        let context = Unmanaged.passRetained(request).toOpaque()
        uv_req_set_data(UnsafeMutableRawPointer(request.request).assumingMemoryBound(to: uv_req_t.self), context)
        let status = uv_shutdown(request.request, stream, tcpStreamShutdownCallback)
        if status < 0 {
            Unmanaged<ShutdownRequest>.fromOpaque(context).release()
            let error = EventLoopError(code: status, operation: "shutdown")
            loop.deferOnLoop { completion(error) }
        }
    }

    // MARK: Options and addresses

    /// Disables Nagle's algorithm (TCP_NODELAY), for interactive protocols.
    public func setNoDelay(_ enabled: Bool) throws(EventLoopError) {
        try EventLoopError.check(uv_tcp_nodelay(tcp, enabled ? 1 : 0), "TCP_NODELAY")
    }

    /// Turns TCP keepalive on with the first probe after `idleSeconds`, or off.
    public func setKeepAlive(_ enabled: Bool, idleSeconds: UInt32 = 60) throws(EventLoopError) {
        try EventLoopError.check(uv_tcp_keepalive(tcp, enabled ? 1 : 0, idleSeconds), "SO_KEEPALIVE")
    }

    /// The socket descriptor (`uv_fileno`), for engines that do their own I/O on it (OpenSSL
    /// on the fd under a poll handle). Reading or writing through this stream as well would
    /// interleave bytes; use one or the other.
    public func fileDescriptor() throws(EventLoopError) -> Int32 {
        var descriptor = uv_os_fd_t()
        try EventLoopError.check(uv_fileno(handle, &descriptor), "uv_fileno")
        return Int32(descriptor)
    }

    public func localAddress() throws(EventLoopError) -> SocketAddress {
        try SocketAddress.read("getsockname") { uv_tcp_getsockname(tcp, $0, $1) }
    }

    public func peerAddress() throws(EventLoopError) -> SocketAddress {
        try SocketAddress.read("getpeername") { uv_tcp_getpeername(tcp, $0, $1) }
    }

    // MARK: Lifetime

    /// Delivers an event on a later loop iteration, so that callers of `write` are never
    /// re-entered by their own error.
    private func deliverLater(_ event: ByteStreamEvent) {
        loop.deferOnLoop { [self] in
            if isOpen { onEvent?(event) }
        }
    }

    override func willClose() {
        reading = false
        drainWaiter = nil
    }

    override func didClose() {
        onEvent = nil
        drainWaiter = nil
    }
}

private func tcpStreamAllocCallback(
    _ handle: UnsafeMutablePointer<uv_handle_t>?, _ suggestedSize: Int, _ buffer: UnsafeMutablePointer<uv_buf_t>?
) {
    guard let buffer, let stream = loopHandleObject(handle, as: TCPStream.self) else { return }
    buffer.pointee = uv_buf_init(
        stream.loop.readBuffer.assumingMemoryBound(to: CChar.self), UInt32(EventLoop.readBufferSize))
}

private func tcpStreamReadCallback(
    _ handle: UnsafeMutablePointer<uv_stream_t>?, _ count: Int, _ buffer: UnsafePointer<uv_buf_t>?
) {
    loopHandleObject(handle, as: TCPStream.self)?.didRead(count, buffer?.pointee.base)
}

private func tcpStreamWriteCallback(_ request: UnsafeMutablePointer<uv_write_t>?, _ status: Int32) {
    guard let request,
        let data = uv_req_get_data(UnsafeRawPointer(request).assumingMemoryBound(to: uv_req_t.self))
    else { return }
    let write = Unmanaged<WriteRequest>.fromOpaque(data).takeRetainedValue()
    write.stream?.writeDidComplete(write, status: status)
}

private func tcpStreamShutdownCallback(_ request: UnsafeMutablePointer<uv_shutdown_t>?, _ status: Int32) {
    guard let request,
        let data = uv_req_get_data(UnsafeRawPointer(request).assumingMemoryBound(to: uv_req_t.self))
    else { return }
    let shutdown = Unmanaged<ShutdownRequest>.fromOpaque(data).takeRetainedValue()
    shutdown.completion(status < 0 ? EventLoopError(code: status, operation: "shutdown") : nil)
}
