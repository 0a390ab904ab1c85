import EventLoop

/// One DNS-over-TCP connection (RFC 1035 §4.2.2, RFC 7766): each message is preceded by a
/// two-octet length; several queries may follow one another (§6.2.1), answered in order.
/// Closed after an idle timeout, on a length prefix over the limit or under a header's
/// size, or when the client closes its side.
final class TCPQueryConnection {
    private let stream: TCPStream
    private let limits: ServerLimits
    private let respond: ([UInt8]) -> [UInt8]?
    private let onClose: () -> Void
    private var buffer: [UInt8] = []
    private var idleTimer: LoopTimer?
    private var closed = false

    init(
        stream: TCPStream, limits: ServerLimits, respond: @escaping ([UInt8]) -> [UInt8]?,
        onClose: @escaping () -> Void
    ) {
        self.stream = stream
        self.limits = limits
        self.respond = respond
        self.onClose = onClose
    }

    func start() {
        do {
            idleTimer = try LoopTimer(loop: stream.loop)
        } catch {
            // A connection without its idle timeout could be held open for ever (RFC 7766 §6.2.3).
            close()
            return
        }
        restartIdleTimer()
        stream.onEvent = { [self] event in
            switch event {
            case .data(let bytes):
                buffer.append(contentsOf: bytes)
                restartIdleTimer()
                processBuffer()
            case .endOfStream:
                // The client sent all its queries: finish the answers, then close.
                stream.whenQueuedWriteBytes(atMost: 0) { [self] in close() }
            case .error:
                close()
            }
        }
        stream.startReading()
    }

    private func restartIdleTimer() {
        idleTimer?.start(after: limits.tcpIdleTimeout) { [self] in close() }
    }

    private func processBuffer() {
        var offset = 0
        defer { if offset > 0 { buffer.removeSubrange(0..<offset) } }
        while !closed, buffer.count - offset >= 2 {
            let length = Int(buffer[offset]) << 8 | Int(buffer[offset + 1])
            guard length >= 12, length <= limits.maxQuerySize else {
                close()
                return
            }
            guard buffer.count - offset - 2 >= length else { return }
            let query = Array(buffer[(offset + 2)..<(offset + 2 + length)])
            offset += 2 + length
            if let response = respond(query) {
                var framed = [UInt8(response.count >> 8), UInt8(response.count & 0xFF)]
                framed += response
                framed.withUnsafeBytes { stream.write($0) }
            }
        }
        // Backpressure: a client that does not read its answers stops being read.
        if !closed, stream.queuedWriteBytes > limits.maxQueuedResponseBytes {
            stream.stopReading()
            stream.whenQueuedWriteBytes(atMost: limits.maxQueuedResponseBytes / 2) { [self] in
                guard !closed else { return }
                stream.startReading()
            }
        }
    }

    func close() {
        guard !closed else { return }
        closed = true
        idleTimer?.close()
        idleTimer = nil
        stream.onEvent = nil
        stream.close(nil)
        onClose()
    }
}
