import DNSWire
import EventLoop
import Foundation

/// A deliberately misbehaving DNS server for tests, on its own event loop thread: UDP and TCP
/// on the same port of a loopback address; for each query a behaviour closure decides what to
/// send back (good answers, wrong IDs, wrong questions, datagrams from another address,
/// truncated answers, garbage, or nothing).
final class TestDNSServer: @unchecked Sendable {
    /// What the server does for one query.
    enum Action: Sendable {
        /// Sends the message (encoded without a size limit).
        case send(Message)
        /// Sends raw bytes.
        case raw([UInt8])
        /// Sends the message from a second socket on another loopback address (UDP only).
        case sendFromOtherAddress(Message)
        /// Sends nothing (the query is only recorded).
        case ignore
    }

    /// One query as the server saw it.
    struct SeenQuery: Sendable {
        var message: Message
        var from: SocketAddress
        var overTCP: Bool
    }

    typealias Behaviour = @Sendable (_ query: Message, _ overTCP: Bool) -> [Action]

    let thread: EventLoopThread
    private(set) var address: SocketAddress!
    private let behaviour: Behaviour
    private let lock = NSLock()
    private var seen: [SeenQuery] = []
    /// Loop-thread state.
    private var udp: UDPSocket?
    private var otherUDP: UDPSocket?
    private var listener: TCPListener?

    /// Starts a server on `host` (port 0); with `tcp` false nothing listens on TCP.
    init(host: String = "127.0.0.1", tcp: Bool = true, otherHost: String = "127.0.0.2",
         behaviour: @escaping Behaviour) throws {
        thread = try EventLoopThread()
        self.behaviour = behaviour
        let box = LoopResultBox()
        let semaphore = DispatchSemaphore(value: 0)
        thread.loop.execute { [self] in
            do {
                try bind(host: host, tcp: tcp, otherHost: otherHost)
            } catch {
                box.error = error
            }
            semaphore.signal()
        }
        semaphore.wait()
        if let error = box.error { throw error }
    }

    deinit {
        thread.stopAndJoin()
    }

    func stop() { thread.stopAndJoin() }

    var queries: [SeenQuery] {
        lock.lock()
        defer { lock.unlock() }
        return seen
    }

    // MARK: Loop thread

    private func bind(host: String, tcp: Bool, otherHost: String) throws {
        let loop = thread.loop
        // Find a port free for both UDP and TCP.
        for _ in 0..<20 {
            let socket = try UDPSocket(loop: loop, bindTo: SocketAddress(host: host, port: 0))
            let bound = try socket.localAddress()
            if tcp {
                do {
                    listener = try TCPListener(loop: loop, address: bound) { [weak self] stream in
                        self?.serve(stream)
                    }
                } catch {
                    socket.close()
                    continue
                }
            }
            udp = socket
            address = bound
            socket.onDatagram = { [weak self] bytes, sender in
                self?.received(Array(bytes), from: sender)
            }
            try socket.startReceiving()
            let other = try UDPSocket(loop: loop, bindTo: SocketAddress(host: otherHost, port: 0))
            otherUDP = other
            return
        }
        throw LoopTestFailure("no port free for both UDP and TCP")
    }

    private func record(_ query: Message, from: SocketAddress, overTCP: Bool) {
        lock.lock()
        seen.append(SeenQuery(message: query, from: from, overTCP: overTCP))
        lock.unlock()
    }

    private func received(_ bytes: [UInt8], from sender: SocketAddress) {
        guard let query = try? Message(bytes: bytes), let udp else { return }
        record(query, from: sender, overTCP: false)
        for action in behaviour(query, false) {
            switch action {
            case .send(let message):
                if let wire = try? message.encode() { udp.send(wire, to: sender) }
            case .raw(let wire):
                udp.send(wire, to: sender)
            case .sendFromOtherAddress(let message):
                if let wire = try? message.encode() { otherUDP?.send(wire, to: sender) }
            case .ignore:
                continue
            }
        }
    }

    private func serve(_ stream: TCPStream) {
        var buffer: [UInt8] = []
        let from = (try? stream.peerAddress()) ?? address!
        stream.onEvent = { [weak self, weak stream] event in
            guard let self, let stream else { return }
            switch event {
            case .data(let bytes):
                buffer.append(contentsOf: bytes)
                while buffer.count >= 2 {
                    let length = Int(buffer[0]) << 8 | Int(buffer[1])
                    guard buffer.count >= 2 + length else { break }
                    let wire = Array(buffer[2..<(2 + length)])
                    buffer.removeFirst(2 + length)
                    guard let query = try? Message(bytes: wire) else { continue }
                    record(query, from: from, overTCP: true)
                    for action in behaviour(query, true) {
                        var reply: [UInt8]?
                        switch action {
                        case .send(let message), .sendFromOtherAddress(let message): reply = try? message.encode()
                        case .raw(let bytes): reply = bytes
                        case .ignore: reply = nil
                        }
                        guard let reply else { continue }
                        let framed = [UInt8(reply.count >> 8), UInt8(reply.count & 0xFF)] + reply
                        framed.withUnsafeBytes { stream.write($0) }
                    }
                }
            case .endOfStream, .error:
                stream.close(nil)
            }
        }
        stream.startReading()
    }
}

private final class LoopResultBox: @unchecked Sendable {
    var error: (any Error)?
}

/// A failure seen inside a loop callback, carried to the test.
struct LoopTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

// MARK: Building answers

enum TestAnswers {
    static let zone: Name = "example.test."

    static func soa(ttl: UInt32 = 3600, minimum: UInt32 = 60) -> Record {
        Record(owner: zone, ttl: ttl, rdata: SOA(primaryServer: "ns.example.test.", responsibleMailbox: "admin.example.test.",
                                                  serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: minimum))
    }

    /// A response to `query` with its ID and question.
    static func response(to query: Message, rcode: RCode = .noError, answers: [Record] = [], authority: [Record] = [],
                         truncated: Bool = false, authenticData: Bool = false) -> Message {
        var header = Header(id: query.header.id, isResponse: true, recursionDesired: query.header.recursionDesired,
                            recursionAvailable: true, authenticData: authenticData,
                            checkingDisabled: query.header.checkingDisabled)
        header.isTruncated = truncated
        var message = Message(header: header, questions: query.questions, answers: answers, authority: authority,
                              edns: query.edns.map { EDNS(udpPayloadSize: 1232, dnssecOK: $0.dnssecOK) })
        message.rcode = rcode
        return message
    }

    /// An A record for the question's name.
    static func a(_ query: Message, _ d: UInt8, ttl: UInt32 = 300) -> Record {
        Record(owner: query.questions.first?.name ?? zone, ttl: ttl, rdata: A(192, 0, 2, d))
    }

    /// The normal answer: one A record 192.0.2.1.
    static func good(_ query: Message, ttl: UInt32 = 300) -> Message {
        response(to: query, answers: [a(query, 1, ttl: ttl)])
    }

    /// The address in an A answer, for checking which answer got through.
    static func firstA(_ message: Message) -> [UInt8]? {
        (message.answers.first { $0.type == .a }?.rdata as? A)?.bytes
    }
}
