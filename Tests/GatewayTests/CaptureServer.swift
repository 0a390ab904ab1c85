import Foundation
import TestSupport

/// A raw TCP upstream on 127.0.0.1 that records every byte that reaches it, to check on the
/// wire what the gateway sends before the upstream is authenticated (DESIGN rule 1).
/// `smtpStartTLS` greets, offers STARTTLS, says go ahead, then records the TLS ClientHello and
/// closes its side; `silent` never says a word.
final class CaptureServer: @unchecked Sendable {
    enum Mode {
        case smtpStartTLS
        case silent
    }

    let port: UInt16
    private let descriptor: Int32
    private let mode: Mode
    private let lock = NSLock()
    private var captured: [[UInt8]] = []
    private var finishedCount = 0

    init(mode: Mode) throws {
        (descriptor, port) = try LoopbackListener.open(backlog: 16)
        self.mode = mode
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit {
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
    }

    /// Bytes received on each finished connection (the peer closed), in order.
    var connections: [[UInt8]] { lock.withLock { Array(captured.prefix(finishedCount)) } }

    /// Waits (polling) until every connection accepted so far has ended.
    func waitUntilIdle(timeout: TimeInterval = 30) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if lock.withLock({ finishedCount == captured.count }) { return }
            usleep(20_000)
        }
        throw TestSupportError(.timedOut, "capture server still has open connections")
    }

    /// Waits (polling) until `count` connections have ended.
    func waitForConnections(_ count: Int, timeout: TimeInterval = 30) throws -> [[UInt8]] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let done = connections
            if done.count >= count { return done }
            usleep(20_000)
        }
        throw TestSupportError(.timedOut, "capture server saw \(connections.count) finished connections, wanted \(count)")
    }

    private func acceptLoop() {
        while true {
            let client = accept(descriptor, nil, nil)
            guard client >= 0 else {
                if errno == EINTR { continue }
                return
            }
            let index = lock.withLock { () -> Int in
                captured.append([])
                return captured.count - 1
            }
            Thread { [self] in serve(client, index) }.start()
        }
    }

    private func serve(_ client: Int32, _ index: Int) {
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        defer {
            close(client)
            lock.withLock { finishedCount += 1 }
        }
        if mode == .smtpStartTLS {
            send(client, "220 capture.dane.test ESMTP\r\n")
            guard readLine(client, index) != nil else { return }
            send(client, "250-capture.dane.test\r\n250 STARTTLS\r\n")
            guard readLine(client, index) != nil else { return }
            send(client, "220 2.0.0 go ahead\r\n")
            // The first bytes of the TLS handshake, then our side closes: no session.
            guard receive(client, index) else { return }
            usleep(100_000)
            shutdown(client, Int32(SHUT_WR))
        }
        while receive(client, index) {}
    }

    private func send(_ client: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Foundation.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads one byte at a time up to LF, recording each.
    private func readLine(_ client: Int32, _ index: Int) -> [UInt8]? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while recv(client, &byte, 1, 0) == 1 {
            line.append(byte)
            record([byte], index)
            if byte == 10 { return line }
        }
        return nil
    }

    /// Reads what is available and records it; false at end of stream or error.
    private func receive(_ client: Int32, _ index: Int) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        record(Array(buffer.prefix(count)), index)
        return true
    }

    private func record(_ bytes: [UInt8], _ index: Int) {
        lock.withLock { captured[index].append(contentsOf: bytes) }
    }
}

/// The TLS records in `bytes` as (content type, length) pairs, and whether they end exactly at
/// the end (RFC 8446 §5.1: type, version, 16-bit length, fragment).
func tlsRecords(_ bytes: [UInt8]) -> (records: [(type: UInt8, length: Int)], complete: Bool) {
    var records: [(UInt8, Int)] = []
    var index = 0
    while index + 5 <= bytes.count {
        let length = Int(bytes[index + 3]) << 8 | Int(bytes[index + 4])
        records.append((bytes[index], length))
        index += 5 + length
    }
    return (records, index == bytes.count)
}
