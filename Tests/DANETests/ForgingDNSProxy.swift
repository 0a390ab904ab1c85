import DNSWire
import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The attacker of issue 9 as a DNS server on loopback: a proxy in front of a real validating
/// resolver (the hierarchy's unbound) that passes every query on unchanged and rewrites the
/// answers it is told to, as an on-path attacker or a dishonest upstream resolver would. UDP
/// and TCP on one port of 127.0.0.1; each runs on a thread of its own and handles one query at
/// a time (the tools under test ask one question at a time).
final class ForgingDNSProxy: @unchecked Sendable {
    /// Gets the question, the upstream's honest response, and a way to ask the upstream more;
    /// returns what the client is sent.
    typealias Rewrite = @Sendable (_ question: Question, _ honest: Message, _ ask: (Question) -> Message?) -> Message

    let port: UInt16
    private let upstream: String
    private let rewrite: Rewrite
    private let udp: Int32
    private let tcp: Int32
    private let lock = NSLock()
    private var stopped = false
    private var forged: [String] = []

    /// Listens on 127.0.0.1 (UDP and TCP, same port) and forwards to `upstream`:53 over TCP.
    init(upstream: String, rewrite: @escaping Rewrite) throws {
        self.upstream = upstream
        self.rewrite = rewrite
        var sockets: (Int32, Int32, UInt16)? = nil
        for _ in 0..<20 where sockets == nil {
            let (listener, port) = try LoopbackListener.open(backlog: 16)
            let datagram = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            if datagram >= 0, Self.bind(datagram, port: port) {
                sockets = (datagram, listener, port)
            } else {
                if datagram >= 0 { close(datagram) }
                close(listener)
            }
        }
        guard let (datagram, listener, port) = sockets else {
            throw TestSupportError(.systemCall, "no free port for UDP and TCP together")
        }
        udp = datagram
        tcp = listener
        self.port = port
        Thread.detachNewThread { [self] in serveUDP() }
        Thread.detachNewThread { [self] in serveTCP() }
    }

    deinit { stop() }

    /// `ADDR:PORT` for `--resolver`.
    var address: String { "127.0.0.1:\(port)" }

    /// The questions whose answer the rewrite changed, as "name TYPE".
    var forgedQuestions: [String] { lock.withLock { forged } }

    /// Closes both sockets; the threads end on the next failed call.
    func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        shutdown(udp, Int32(SHUT_RDWR))
        shutdown(tcp, Int32(SHUT_RDWR))
        close(udp)
        close(tcp)
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    // MARK: Serving

    private func serveUDP() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while !isStopped {
            var from = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let count = withUnsafeMutablePointer(to: &from) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    buffer.withUnsafeMutableBytes { recvfrom(udp, $0.baseAddress, $0.count, 0, address, &length) }
                }
            }
            guard count > 0 else {
                if count < 0 && errno == EINTR { continue }
                return
            }
            guard let query = try? Message(bytes: Array(buffer.prefix(count))), let answer = handle(query) else { continue }
            // Past the client's UDP size the answer goes out truncated, and the client comes back over TCP.
            let limit = query.edns?.effectivePayloadSize ?? 512
            guard let bytes = try? answer.encode(maxSize: limit) else { continue }
            _ = withUnsafePointer(to: &from) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    bytes.withUnsafeBytes { sendto(udp, $0.baseAddress, $0.count, 0, address, length) }
                }
            }
        }
    }

    private func serveTCP() {
        while !isStopped {
            let connection = accept(tcp, nil, nil)
            guard connection >= 0 else {
                if errno == EINTR { continue }
                return
            }
            Thread.detachNewThread { [self] in
                defer { close(connection) }
                while let bytes = Self.readFramed(connection), let query = try? Message(bytes: bytes),
                    let answer = handle(query), let encoded = try? answer.encode()
                {
                    guard Self.writeFramed(connection, encoded) else { return }
                }
            }
        }
    }

    /// The upstream's answer to `query`, rewritten.
    private func handle(_ query: Message) -> Message? {
        guard let question = query.questions.first, let honest = exchange(query) else { return nil }
        let ask: (Question) -> Message? = { [self] other in
            var extra = query
            extra.questions = [other]
            return exchange(extra)
        }
        var answer = rewrite(question, honest, ask)
        answer.header.id = query.header.id
        if answer.answers.map(\.presentation) != honest.answers.map(\.presentation)
            || answer.authority.map(\.presentation) != honest.authority.map(\.presentation) || answer.rcode != honest.rcode
        {
            lock.withLock { forged.append("\(question.name.presentation) \(question.type)") }
        }
        return answer
    }

    /// One exchange with the upstream over TCP.
    private func exchange(_ query: Message) -> Message? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(53).bigEndian
        address.sin_addr.s_addr = inet_addr(upstream)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0, let bytes = try? query.encode(), Self.writeFramed(fd, bytes), let reply = Self.readFramed(fd) else {
            return nil
        }
        return try? Message(bytes: reply)
    }

    // MARK: Sockets

    private static func bind(_ fd: Int32, port: UInt16) -> Bool {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// One DNS message with its two-octet length (RFC 1035 §4.2.2).
    private static func readFramed(_ fd: Int32) -> [UInt8]? {
        guard let prefix = readExactly(fd, 2) else { return nil }
        return readExactly(fd, Int(prefix[0]) << 8 | Int(prefix[1]))
    }

    private static func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let result = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + offset, count - offset, 0) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { return nil }
            offset += result
        }
        return bytes
    }

    private static func writeFramed(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        let framed = [UInt8(bytes.count >> 8), UInt8(bytes.count & 0xFF)] + bytes
        var offset = 0
        while offset < framed.count {
            let result = framed.withUnsafeBytes { send(fd, $0.baseAddress! + offset, framed.count - offset, Int32(MSG_NOSIGNAL)) }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { return false }
            offset += result
        }
        return true
    }
}
