import DNSWire
import EventLoop

/// One query over UDP to one server, on a fresh socket with a random source port.
///
/// Every datagram is checked before it can end the exchange (RFC 5452 §9.1, DESIGN.md rule 10):
/// it must come from the server's address and port, carry our ID, decode, and echo our
/// question. Anything else is dropped and counted, and the wait goes on: a stray or forged
/// datagram can neither answer the query nor cut it short.
final class UDPExchange: QueryExchange {
    private let loop: EventLoop
    private let server: SocketAddress
    private let id: UInt16
    /// The question as sent (with 0x20 case when `exactCase`).
    private let question: Question
    private let exactCase: Bool
    private let statistics: StatisticsRecorder
    private var onOutcome: ((ExchangeOutcome) -> Void)?
    private var socket: UDPSocket?
    private var timer: LoopTimer?
    /// Set when a datagram from the server failed to decode, to name the likely cause of a timeout.
    private var sawMalformed = false

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

    /// Sends `query` and waits up to `timeout`. Failures to open or send are reported later,
    /// never from inside this call.
    func start(query: [UInt8], timeout: Duration, randomSourcePort: Bool) {
        do {
            let socket = try QuerySocket.open(loop: loop, for: server, randomPort: randomSourcePort)
            self.socket = socket
            socket.onDatagram = { [weak self] bytes, sender in self?.received(bytes, from: sender) }
            socket.onError = { [weak self] error in
                guard let self else { return }
                finish(.failed(ExchangeFailure(code: .networkError, server: server, reason: "\(error)")))
            }
            try socket.startReceiving()
            let timer = try LoopTimer(loop: loop)
            self.timer = timer
            timer.start(after: timeout) { [weak self] in self?.timedOut() }
            statistics.counters.udpQueriesSent += 1
            socket.send(query, to: server) { [weak self] error in
                guard let self, let error else { return }
                finish(.failed(ExchangeFailure(code: .networkError, server: server, reason: "\(error)")))
            }
        } catch {
            let failure = ExchangeFailure(code: .networkError, server: server, reason: "\(error)")
            loop.later { [self] in finish(.failed(failure)) }
        }
    }

    private func received(_ bytes: UnsafeRawBufferPointer, from sender: SocketAddress) {
        guard onOutcome != nil else { return }
        guard sender == server else {
            statistics.counters.droppedWrongSource += 1
            return
        }
        guard let receivedID = ResponseMatcher.peekID(bytes) else {
            statistics.counters.droppedMalformed += 1
            sawMalformed = true
            return
        }
        guard receivedID == id else {
            statistics.counters.droppedMismatched += 1
            return
        }
        let response: Message
        do {
            response = try Message(bytes: Array(bytes))
        } catch {
            statistics.counters.droppedMalformed += 1
            sawMalformed = true
            return
        }
        guard ResponseMatcher.mismatch(response, id: id, question: question, exactCase: exactCase) == nil else {
            statistics.counters.droppedMismatched += 1
            return
        }
        statistics.counters.responsesAccepted += 1
        if response.header.isTruncated {
            statistics.counters.truncatedResponses += 1
            finish(.truncated)
        } else {
            finish(.response(response))
        }
    }

    private func timedOut() {
        statistics.counters.timeouts += 1
        let failure =
            sawMalformed
            ? ExchangeFailure(code: .malformedResponse, server: server, reason: "only malformed answers")
            : ExchangeFailure(code: .timeout, server: server, reason: "no answer over UDP")
        finish(.failed(failure))
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
        socket?.close()
        socket = nil
    }
}
