import DNSWire
import EventLoop

/// One query over UDP to one server, on a fresh socket with a random source port.
///
/// Every datagram is checked before it can end the exchange (RFC 5452 §9.1, DESIGN.md rule 10):
/// it must come from the server's address and port, carry our ID, decode, and echo our
/// question. Anything else is dropped and counted, and the wait goes on: a stray or forged
/// datagram can neither answer the query nor cut it short.
final class UDPExchange: QueryExchange {
    private let completion: ExchangeCompletion
    private let sent: SentQuery
    private let statistics: StatisticsRecorder
    /// Set when a datagram from the server failed to decode, to name the likely cause of a timeout.
    private var sawMalformed = false

    private var server: SocketAddress { completion.server }

    init(
        loop: EventLoop, server: SocketAddress, sent: SentQuery, statistics: StatisticsRecorder,
        onOutcome: @escaping (ExchangeOutcome) -> Void
    ) {
        self.completion = ExchangeCompletion(loop: loop, server: server, onOutcome: onOutcome)
        self.sent = sent
        self.statistics = statistics
    }

    /// Sends `query` and waits up to `timeout`. Failures to open or send are reported later,
    /// never from inside this call.
    func start(query: [UInt8], timeout: Duration, randomSourcePort: Bool) {
        do {
            let socket = try QuerySocket.open(loop: completion.loop, for: server, randomPort: randomSourcePort)
            completion.hold { socket.close() }
            socket.onDatagram = { [weak self] bytes, sender in self?.received(bytes, from: sender) }
            socket.onError = { [weak self] error in self?.completion.fail(.networkError, "\(error)") }
            try socket.startReceiving()
            try completion.startDeadline(after: timeout) { [weak self] in self?.timedOut() }
            statistics.counters.udpQueriesSent += 1
            socket.send(query, to: server) { [weak self] error in
                guard let self, let error else { return }
                completion.fail(.networkError, "\(error)")
            }
        } catch {
            completion.failLater(.networkError, "\(error)")
        }
    }

    private func received(_ bytes: UnsafeRawBufferPointer, from sender: SocketAddress) {
        guard completion.isPending else { return }
        guard sender == server else {
            statistics.counters.droppedWrongSource += 1
            return
        }
        guard let receivedID = ResponseMatcher.peekID(bytes) else {
            statistics.counters.droppedMalformed += 1
            sawMalformed = true
            return
        }
        guard receivedID == sent.id else {
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
        guard sent.mismatch(response) == nil else {
            statistics.counters.droppedMismatched += 1
            return
        }
        statistics.counters.responsesAccepted += 1
        if response.header.isTruncated {
            statistics.counters.truncatedResponses += 1
            completion.finish(.truncated)
        } else {
            completion.finish(.response(response))
        }
    }

    private func timedOut() {
        statistics.counters.timeouts += 1
        if sawMalformed {
            completion.fail(.malformedResponse, "only malformed answers")
        } else {
            completion.fail(.timeout, "no answer over UDP")
        }
    }

    func cancel() { completion.cancel() }
}
