internal import COpenSSL
import Foundation
import TLS
import TestSupport
import Testing

/// Bad input never crashes (DESIGN rule 11): each case ends with a clean error value.
@Suite struct HostilePeerTests {
    private func daneOptions() -> TLSClientOptions {
        TLSClientOptions(
            dane: DANEParameters(
                baseDomain: "good.example",
                records: [TLSARecord(usage: 3, selector: 1, matchingType: 1, data: [UInt8](repeating: 7, count: 32))]))
    }

    @Test func aPeerThatResetsMidHandshakeEndsWithACleanError() throws {
        let server = try RawLoopbackServer(.reset)
        let client = try connectClient(try TLSContext(.client()), port: server.port, options: daneOptions())
        let progress = try client.handshake()
        guard case .failed(let error) = progress else {
            Issue.record("expected a failure, got \(progress)")
            return
        }
        #expect(error.code == .peerClosedDuringHandshake)
    }

    @Test func aPeerThatClosesAfterTheClientHelloEndsWithACleanError() throws {
        let server = try RawLoopbackServer(.reply([]))
        let client = try connectClient(try TLSContext(.client()), port: server.port, options: daneOptions())
        guard case .failed(let error) = try client.handshake() else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == .peerClosedDuringHandshake)
    }

    @Test func aPeerThatSendsGarbageInsteadOfAServerHelloEndsWithACleanError() throws {
        let garbage = Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8)
        let server = try RawLoopbackServer(.reply(garbage))
        let client = try connectClient(try TLSContext(.client()), port: server.port, options: daneOptions())
        guard case .failed(let error) = try client.handshake() else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == .handshakeFailed)
        #expect(error.reason.contains("wrong version number") || error.reason.contains("record"))
    }

    @Test func garbageFedInSmallPiecesEndsWithACleanError() throws {
        // A deterministic pseudo-random stream, fed a few bytes at a time.
        var generator = SplitMix64(seed: 0x5eed)
        var outcomes: Set<TLSError.Code> = []
        for _ in 0..<20 {
            let session = try TLSSession(client: try TLSContext(.client()), options: daneOptions())
            _ = session.handshake()
            _ = session.takeCiphertext()
            var progress = TLSSession.HandshakeProgress.needMoreData
            var fed = 0
            while progress == .needMoreData && fed < 70_000 {
                let chunk = (0..<Int(generator.next() % 7 + 1)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                session.feed(chunk)
                fed += chunk.count
                progress = session.handshake()
            }
            if progress == .needMoreData {
                session.feedEndOfStream()
                progress = session.handshake()
            }
            guard case .failed(let error) = progress else {
                Issue.record("garbage must fail the handshake, got \(progress)")
                return
            }
            outcomes.insert(error.code)
        }
        #expect(outcomes.isSubset(of: [.handshakeFailed, .peerClosedDuringHandshake]))
    }

    @Test func aValidRecordHeaderWithGarbageInsideEndsWithACleanError() throws {
        // Handshake record (22), TLS 1.2, length 64, then a bogus ServerHello body.
        var bytes: [UInt8] = [22, 3, 3, 0, 64, 2, 0, 0, 60]
        bytes += [UInt8](repeating: 0xAB, count: 60)
        let session = try TLSSession(client: try TLSContext(.client()), options: daneOptions())
        _ = session.handshake()
        #expect(session.takeCiphertext().first == 22)  // the ClientHello
        session.feed(bytes)
        guard case .failed(let error) = session.handshake() else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.code == .handshakeFailed)
        #expect(session.takeCiphertext().first == 21)  // an alert record went out
    }
}

/// SplitMix64, a small deterministic generator for reproducible garbage.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct ErrorQueueTests {
    @Test func aStaleOpenSSLErrorNeverLeaksIntoAnotherSessionsReport() throws {
        // Leave an unrelated error on this thread's queue, as another connection might.
        #expect(BIO_new_file("/nonexistent/danegate-stale-error", "r") == nil)
        let session = try TLSSession(
            client: try TLSContext(.client()),
            options: TLSClientOptions(
                dane: DANEParameters(
                    baseDomain: "good.example",
                    records: [TLSARecord(usage: 3, selector: 1, matchingType: 1, data: [UInt8](repeating: 7, count: 32))])))
        _ = session.handshake()
        _ = session.takeCiphertext()
        session.feed(Array("garbage that is not TLS at all".utf8))
        guard case .failed(let error) = session.handshake() else {
            Issue.record("expected a failure")
            return
        }
        #expect(!error.reason.contains("No such file"))
        #expect(!error.reason.contains("BIO_new_file"))
        #expect(!error.reason.contains("nonexistent"))
    }
}
