import DNSWire
import EventLoop

/// One query over TCP to one server (RFC 1035 §4.2.2, RFC 7766): each message is preceded by
/// its length as two octets. Used after a truncated UDP answer. The connection is ours alone,
/// so a response that does not match our query is a failure of this server, not noise to
/// wait through.
final class TCPExchange: QueryExchange {
    private let loop: EventLoop
    private let server: SocketAddress
    private let id: UInt16
    /// The question as sent (with 0x20 case when `exactCase`).
    private let question: Question
    private let exactCase: Bool
    private let statistics: StatisticsRecorder
    private var onOutcome: ((ExchangeOutcome) -> Void)?
    private var stream: TCPStream?
    private var timer: LoopTimer?
    /// The bytes read so far: the length prefix and as much of the message as has arrived.
    /// Bounded by the prefix: at most 2 + 65535 octets.
    private var received: [UInt8] = []

    init(
        loop: EventLoop, server: SocketAddress, id: UInt16, question: Question, exactCase: Bool,
        statistics: StatisticsRecorder, onOutcome: @escaping (ExchangeOutcome) -> Void
    ) {
        self.loop = loop
        self.server = server
        self.id = id
        self.question = question
        self.exactCase = exactCase
        self.statistics = statistics
        self.onOutcome = onOutcome
    }

    func start(query: [UInt8], timeout: Duration) {
        do {
            let timer = try LoopTimer(loop: loop)
            self.timer = timer
            timer.start(after: timeout) { [weak self] in
                guard let self else { return }
                statistics.counters.timeouts += 1
                fail(.timeout, "no answer over TCP")
            }
        } catch {
            loop.later { [self] in fail(.networkError, "\(error)") }
            return
        }
        statistics.counters.tcpQueriesSent += 1
        var framed: [UInt8] = [UInt8(query.count >> 8), UInt8(query.count & 0xFF)]
        framed.append(contentsOf: query)
        TCPStream.connect(loop: loop, to: server, timeout: timeout) { [weak self] result in
            switch result {
            case .success(let stream):
                guard let self, onOutcome != nil else {
                    stream.close()
                    return
                }
                connected(stream, framed)
            case .failure(let error):
                self?.fail(.networkError, "TCP \(error)")
            }
        }
    }

    private func connected(_ stream: TCPStream, _ framed: [UInt8]) {
        self.stream = stream
        stream.onEvent = { [weak self] event in
            guard let self else { return }
            switch event {
            case .data(let bytes): read(bytes)
            case .endOfStream: fail(.networkError, "TCP connection closed before the whole answer")
            case .error(let error): fail(.networkError, "TCP \(error)")
            }
        }
        framed.withUnsafeBytes { stream.write($0) }
        stream.startReading()
    }

    private func read(_ bytes: UnsafeRawBufferPointer) {
        let wanted = received.count >= 2 ? 2 + (Int(received[0]) << 8 | Int(received[1])) : 2 + 65535
        received.append(contentsOf: bytes.prefix(max(0, wanted - received.count)))
        guard received.count >= 2 else { return }
        let length = Int(received[0]) << 8 | Int(received[1])
        guard received.count >= 2 + length else { return }
        let response: Message
        do {
            response = try Message(bytes: Array(received[2..<(2 + length)]))
        } catch {
            statistics.counters.droppedMalformed += 1
            fail(.malformedResponse, "malformed answer over TCP: \(error)")
            return
        }
        if let mismatch = ResponseMatcher.mismatch(response, id: id, question: question, exactCase: exactCase) {
            statistics.counters.droppedMismatched += 1
            fail(.malformedResponse, "answer over TCP does not match the query: \(mismatch)")
            return
        }
        statistics.counters.responsesAccepted += 1
        finish(.response(response))
    }

    private func fail(_ code: ResolverError.Code, _ reason: String) {
        finish(.failed(ExchangeFailure(code: code, server: server, reason: reason)))
    }

    private func finish(_ outcome: ExchangeOutcome) {
        guard let onOutcome else { return }
        withExtendedLifetime(self) {
            cancel()
            onOutcome(outcome)
        }
    }

    func cancel() {
        onOutcome = nil
        timer?.close()
        timer = nil
        stream?.close(nil)
        stream = nil
    }
}
