internal import COpenSSL
import EventLoop
import Foundation
import TestSupport

/// Runs `body` on the loop's thread and waits for the value it gives to its promise.
func onLoop<Value: Sendable>(
    _ loop: EventLoop, _ body: @escaping @Sendable (Promise<Value>) throws -> Void
) async throws -> Value {
    let promise = Promise<Value>()
    loop.execute {
        do {
            try body(promise)
        } catch {
            promise.fail(error)
        }
    }
    return try await promise.value()
}

/// A failure seen inside a loop callback, carried to the test.
struct LoopTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// SHA-256 over a stream of buffers, on libcrypto.
final class SHA256Digest {
    private let context: OpaquePointer

    init() {
        // EVP_MD_CTX_new fails only when memory is exhausted; a test cannot go on then.
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new failed") }
        self.context = context
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    func update(_ bytes: UnsafeRawBufferPointer) {
        EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
    }

    /// The digest in hex; call once.
    func finish() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Random bytes repeated with an odd period (so misordered chunks change the digest), stored
/// twice over so that any chunk up to the period is one contiguous slice.
final class BytePattern: @unchecked Sendable {
    let period: Int
    let storage: UnsafeMutableRawBufferPointer

    init(period: Int = (1 << 20) + 13) {
        self.period = period
        storage = .allocate(byteCount: 2 * period, alignment: 16)
        var generator = SystemRandomNumberGenerator()
        let words = storage.bindMemory(to: UInt64.self)
        for index in words.indices { words[index] = generator.next() }
        // The second copy repeats the first exactly.
        storage.baseAddress!.advanced(by: period).copyMemory(from: storage.baseAddress!, byteCount: period)
    }

    deinit { storage.deallocate() }

    /// `count` bytes (at most one period) of the stream starting at `offset` mod period.
    func slice(at offset: Int, count: Int) -> UnsafeRawBufferPointer {
        let start = offset % period
        return UnsafeRawBufferPointer(rebasing: storage[start..<(start + min(count, period))])
    }
}

/// Writes `total` bytes of a pattern to a stream as fast as the stream takes them, keeping at
/// most a bounded amount queued (it waits on the stream's drain notification), hashing what
/// it writes, then shuts down the write side.
final class PatternSender {
    let stream: ByteStreamEnd
    let pattern: BytePattern
    let total: Int
    let digest = SHA256Digest()
    private(set) var sent = 0
    private let chunk = 256 * 1024
    private let highWatermark = 4 << 20
    private let lowWatermark = 1 << 20
    private let onShutdown: (EventLoopError?) -> Void

    init(stream: ByteStreamEnd, pattern: BytePattern, total: Int, onShutdown: @escaping (EventLoopError?) -> Void) {
        self.stream = stream
        self.pattern = pattern
        self.total = total
        self.onShutdown = onShutdown
    }

    func pump() {
        while sent < total {
            if stream.queuedWriteBytes > highWatermark {
                stream.whenQueuedWriteBytes(atMost: lowWatermark) { [self] in pump() }
                return
            }
            let bytes = pattern.slice(at: sent, count: min(chunk, total - sent))
            digest.update(bytes)
            stream.write(bytes)
            sent += bytes.count
        }
        stream.shutdownWrite(onShutdown)
    }
}

/// What a reader saw on a stream up to its end.
struct StreamSummary: Sendable, Equatable {
    var byteCount: Int
    var sha256: String
}

/// Counts and hashes what arrives on a stream until end of stream.
final class HashingReader {
    let digest = SHA256Digest()
    private(set) var byteCount = 0

    /// Installs itself as the stream's event handler; `done` runs at end of stream or error.
    func attach(to stream: ByteStreamEnd, done: @escaping (Result<StreamSummary, EventLoopError>) -> Void) {
        stream.onEvent = { [self] event in
            switch event {
            case .data(let bytes):
                digest.update(bytes)
                byteCount += bytes.count
            case .endOfStream:
                done(.success(StreamSummary(byteCount: byteCount, sha256: digest.finish())))
            case .error(let error):
                done(.failure(error))
            }
        }
        stream.startReading()
    }
}

/// Starts a loop thread for a test; stop it with `stopAndJoin()` in a defer.
func makeLoopThread() throws -> EventLoopThread {
    try EventLoopThread()
}
