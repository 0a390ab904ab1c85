@testable import EventLoop
import Foundation
import Gateway
import TestSupport
import Testing
import TLS

/// The tunnel's handshake deadline belongs to the handshake: when the upstream is verified the
/// timer is closed, so a finished connection leaves no handle behind (before, a timer stayed
/// armed for the whole handshake timeout after every connection).
@Suite struct TLSTunnelHandshakeTimerTests {
    /// The loop-side state of the test, touched only on the loop's thread.
    final class Fixture: @unchecked Sendable {
        var tunnel: TLSTunnel?
        var port: UInt16 = 0
    }

    @Test func aFinishedConnectionLeavesOnlyTheListenerOpen() async throws {
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let digest = try pki.spkiSHA256(pki.leafCertificate)
        let thread = try EventLoopThread()
        defer { thread.stopAndJoin() }
        let loop = thread.loop
        let fixture = Fixture()
        let finished = Promise<Int>()

        let started = Promise<UInt16>()
        let hostName = pki.hostName
        let upstream = "127.0.0.1:\(server.port)"
        _ = loop.execute {
            do {
                let context = try TLSContext(TLSConfiguration.client())
                let record = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: digest)
                let options = TLSClientOptions(
                    referenceIdentifiers: [hostName], dane: DANEParameters(baseDomain: hostName, records: [record]))
                let tunnel = try TLSTunnel(
                    loop: loop, accept: try SocketAddress(parsing: "127.0.0.1:0"),
                    upstream: try SocketAddress(parsing: upstream), context: context, options: options)
                // Long enough that a timer left armed is still open when the test looks.
                tunnel.handshakeTimeout = .seconds(120)
                tunnel.onConnectionFinished = { _ in
                    Self.waitForOpenHandles(1, loop: loop, until: loop.nowMilliseconds + 5_000) { finished.succeed($0) }
                }
                fixture.tunnel = tunnel
                started.succeed(tunnel.localAddress.port)
            } catch {
                started.fail(error)
            }
        }
        let port = try await started.value()
        let client = try BlockingSocket(connectingTo: port)
        client.send(Array("through the tunnel\n".utf8))
        _ = try server.peer.waitForLine(containing: "through the tunnel", timeout: 10)
        client.shutdownWrite()
        try server.peer.send("bye\n")
        while try client.receive() != nil {}
        // Only the listener is left (a handshake timer still armed would make it two).
        let open = try await finished.value()
        #expect(open == 1)
        _ = loop.execute { fixture.tunnel?.close() }
    }

    /// Polls the loop's open handles until there are `count` or the deadline passes, then
    /// gives the last count.
    static func waitForOpenHandles(_ count: Int, loop: EventLoop, until deadline: UInt64, _ done: @escaping (Int) -> Void) {
        let open = loop.openHandleCount
        guard open != count, loop.nowMilliseconds < deadline else {
            done(open)
            return
        }
        do {
            try loop.schedule(after: .milliseconds(10)) { waitForOpenHandles(count, loop: loop, until: deadline, done) }
        } catch {
            done(-1)
        }
    }
}
