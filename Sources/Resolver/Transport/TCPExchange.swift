import DNSWire
import EventLoop

/// One query over TCP to one server (RFC 1035 §4.2.2, RFC 7766): each message is preceded by
/// its length as two octets. Used after a truncated UDP answer. The connection is ours alone,
/// so a response that does not match our query is a failure of this server, not noise to
/// wait through.
final class TCPExchange: QueryExchange {
    private let completion: ExchangeCompletion
    private let sent: SentQuery
    private let statistics: StatisticsRecorder
    /// The bytes read so far: the length prefix and as much of the message as has arrived.
    /// Bounded by the prefix: at most 2 + 65535 octets.
    private var received: [UInt8] = []

    init(
        loop: EventLoop, server: SocketAddress, sent: SentQuery, statistics: StatisticsRecorder,
        onOutcome: @escaping (ExchangeOutcome) -> Void
    ) {
        self.completion = ExchangeCompletion(loop: loop, server: server, onOutcome: onOutcome)
        self.sent = sent
        self.statistics = statistics
    }

    func start(query: [UInt8], timeout: Duration) {
        do {
            try completion.startDeadline(after: timeout) { [weak self] in
                guard let self else { return }
                statistics.counters.timeouts += 1
                completion.fail(.timeout, "no answer over TCP")
            }
        } catch {
            completion.failLater(.networkError, "\(error)")
            return
        }
        statistics.counters.tcpQueriesSent += 1
        var framed: [UInt8] = [UInt8(query.count >> 8), UInt8(query.count & 0xFF)]
        framed.append(contentsOf: query)
        TCPStream.connect(loop: completion.loop, to: completion.server, timeout: timeout) { [weak self] result in
            switch result {
            case .success(let stream):
                guard let self, completion.isPending else {
                    stream.close()
                    return
                }
                connected(stream, framed)
            case .failure(let error):
                self?.completion.fail(.networkError, "TCP \(error)")
            }
        }
    }

    private func connected(_ stream: TCPStream, _ framed: [UInt8]) {
        completion.hold { stream.close(nil) }
        stream.onEvent = { [weak self] event in
            guard let self else { return }
            switch event {
            case .data(let bytes): read(bytes)
            case .endOfStream: completion.fail(.networkError, "TCP connection closed before the whole answer")
            case .error(let error): completion.fail(.networkError, "TCP \(error)")
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
            completion.fail(.malformedResponse, "malformed answer over TCP: \(error)")
            return
        }
        if let mismatch = sent.mismatch(response) {
            statistics.counters.droppedMismatched += 1
            completion.fail(.malformedResponse, "answer over TCP does not match the query: \(mismatch)")
            return
        }
        statistics.counters.responsesAccepted += 1
        completion.finish(.response(response))
    }

    func cancel() { completion.cancel() }
}
