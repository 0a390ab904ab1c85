internal import CLibUV

/// One `uv_write_t` with the bytes it writes: libuv keeps only a pointer to the bytes, so they
/// live here until the write callback. Each loop keeps a few spare requests (`WriteRequestPool`)
/// to reuse their buffers instead of allocating for every write.
final class WriteRequest {
    let request = UnsafeMutablePointer<uv_write_t>.allocate(capacity: 1)
    private(set) var buffer: UnsafeMutableRawPointer
    private(set) var capacity: Int
    var byteCount = 0
    var completion: ((EventLoopError?) -> Void)?
    /// The stream while the write is in flight; nil when spare, so no cycle remains.
    var stream: TCPStream?

    init(capacity: Int) {
        self.capacity = capacity
        buffer = .allocate(byteCount: capacity, alignment: 16)
    }

    deinit {
        buffer.deallocate()
        request.deallocate()
    }

    /// Copies `bytes` in, growing the buffer if needed.
    func fill(with bytes: UnsafeRawBufferPointer) {
        if bytes.count > capacity {
            buffer.deallocate()
            capacity = bytes.count
            buffer = .allocate(byteCount: capacity, alignment: 16)
        }
        if let base = bytes.baseAddress { buffer.copyMemory(from: base, byteCount: bytes.count) }
        byteCount = bytes.count
    }

    /// The buffer as libuv's `uv_buf_t`.
    var uvBuffer: uv_buf_t {
        uv_buf_init(buffer.assumingMemoryBound(to: CChar.self), UInt32(byteCount))
    }
}

/// The spare write requests of one loop, shared by its streams (loop thread only). Kept per
/// loop rather than per stream so that idle connections hold no write buffers.
struct WriteRequestPool {
    private var spares: [WriteRequest] = []
    /// At most this many spares of at most this capacity: a bounded 4 MiB per loop.
    private static let maxSpares = 16
    private static let maxSpareCapacity = 256 * 1024
    /// Small writes still get a buffer worth reusing.
    private static let minimumCapacity = 16 * 1024

    mutating func take(capacity: Int) -> WriteRequest {
        if let spare = spares.popLast() { return spare }
        return WriteRequest(capacity: max(capacity, WriteRequestPool.minimumCapacity))
    }

    mutating func recycle(_ request: WriteRequest) {
        guard spares.count < WriteRequestPool.maxSpares, request.capacity <= WriteRequestPool.maxSpareCapacity
        else { return }
        spares.append(request)
    }
}

/// One `uv_shutdown_t` with its completion.
final class ShutdownRequest {
    let request = UnsafeMutablePointer<uv_shutdown_t>.allocate(capacity: 1)
    let completion: (EventLoopError?) -> Void
    let stream: TCPStream

    init(stream: TCPStream, completion: @escaping (EventLoopError?) -> Void) {
        self.stream = stream
        self.completion = completion
    }

    deinit { request.deallocate() }
}
