import Cryptography
import EventLoop
import Foundation
import TLS
import TestSupport
import Testing

/// The engine on the libuv event loop: TLSStream over TCPStream, alone and inside a Relay.
@Suite struct TLSStreamTests {
    private func daneOptions(_ pki: TestPKI, corrupt: Bool = false) throws -> TLSClientOptions {
        var digest = try pki.spkiSHA256(pki.leafCertificate)
        if corrupt { digest[31] ^= 1 }
        return TLSClientOptions(
            dane: DANEParameters(
                baseDomain: "good.example", records: [TLSARecord(usage: 3, selector: 1, matchingType: 1, data: digest)]))
    }

    /// Connects a TLSStream to 127.0.0.1:`port` and runs its handshake; `then` runs on the loop.
    private static func connectTLS(
        loop: EventLoop, port: UInt16, context: TLSContext, options: TLSClientOptions,
        then: @escaping (Result<(TLSStream, TLSPeerVerification?), any Error>) -> Void
    ) {
        let address: SocketAddress
        do {
            address = try SocketAddress(host: "127.0.0.1", port: port)
        } catch {
            then(.failure(error))
            return
        }
        TCPStream.connect(loop: loop, to: address) { result in
            switch result {
            case .failure(let error):
                then(.failure(error))
            case .success(let tcp):
                do {
                    let stream = TLSStream(session: try TLSSession(client: context, options: options), transport: tcp)
                    stream.handshake { outcome in
                        switch outcome {
                        case .success(let verification): then(.success((stream, verification)))
                        case .failure(let error):
                            stream.close(nil)
                            then(.failure(error))
                        }
                    }
                } catch {
                    tcp.close()
                    then(.failure(error))
                }
            }
        }
    }

    @Test func aTLSStreamFetchesAPageAndSeesCloseNotify() throws {
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki, ["-www"])
        let loopThread = try EventLoopThread()
        defer { loopThread.stopAndJoin() }
        let context = try TLSContext(.client())
        let options = try daneOptions(pki)
        let port = server.port
        let page = Outcome<(String, TLSPeerVerification?)>()
        let loop = loopThread.loop
        loop.execute {
            Self.connectTLS(loop: loop, port: port, context: context, options: options) { result in
                switch result {
                case .failure(let error):
                    page.fail(error)
                case .success(let (stream, verification)):
                    var received: [UInt8] = []
                    stream.onEvent = { event in
                        switch event {
                        case .data(let bytes): received += bytes
                        case .endOfStream:
                            page.succeed((String(decoding: received, as: UTF8.self), verification))
                            stream.close(nil)
                        case .error(let error):
                            page.fail(error)
                            stream.close(nil)
                        }
                    }
                    stream.startReading()
                    Array("GET / HTTP/1.0\r\n\r\n".utf8).withUnsafeBytes { stream.write($0) }
                }
            }
        }
        let (text, verification) = try page.wait()
        #expect(text.hasPrefix("HTTP/1.0 200 ok"))
        let record = try #require(options.dane?.records.first)
        #expect(verification?.dane == .matched(DANEMatch(record: record, depth: 0)))
    }

    @Test func aTLSStreamHandshakeWithAWrongDigestFailsWith65() throws {
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let loopThread = try EventLoopThread()
        defer { loopThread.stopAndJoin() }
        let context = try TLSContext(.client())
        let options = try daneOptions(pki, corrupt: true)
        let port = server.port
        let outcome = Outcome<TLSPeerVerification?>()
        let loop = loopThread.loop
        loop.execute {
            Self.connectTLS(loop: loop, port: port, context: context, options: options) { result in
                switch result {
                case .success(let (stream, verification)):
                    stream.close(nil)
                    outcome.succeed(verification)
                case .failure(let error):
                    outcome.fail(error)
                }
            }
        }
        #expect {
            _ = try outcome.wait()
        } throws: { error in
            (error as? TLSError)?.verifyResult == 65
        }
    }

    @Test func aRelayCarriesAPlainClientToATLSUpstreamWithHalfClose() throws {
        // plain client -> TCPListener -> Relay(TCPStream, TLSStream) -> s_server -www.
        // The client half-closes after its request; the server's page still comes back, and its
        // close_notify ends the relay direction, which the client sees as end of stream.
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki, ["-www"])
        let loopThread = try EventLoopThread()
        defer { loopThread.stopAndJoin() }
        let context = try TLSContext(.client())
        let options = try daneOptions(pki)
        let upstreamPort = server.port
        let listening = Outcome<UInt16>()
        let relayReport = Outcome<RelayReport>()
        let loop = loopThread.loop
        loop.execute {
            do {
                let listener = try TCPListener(loop: loop, address: try SocketAddress(host: "127.0.0.1", port: 0)) { client in
                    // Rule 1: the client is not read until the upstream is verified.
                    Self.connectTLS(loop: loop, port: upstreamPort, context: context, options: options) { result in
                        switch result {
                        case .failure(let error):
                            client.close()
                            relayReport.fail(error)
                        case .success(let (upstream, _)):
                            Relay(client, upstream).start { report in relayReport.succeed(report) }
                        }
                    }
                }
                listening.succeed(listener.localAddress.port)
            } catch {
                listening.fail(error)
            }
        }
        let client = try BlockingSocket(connectingTo: try listening.wait())
        let request = Array("GET / HTTP/1.0\r\n\r\n".utf8)
        client.send(request)
        client.shutdownWrite()
        var response: [UInt8] = []
        while let bytes = try client.receive() { response += bytes }
        let text = String(decoding: response, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.0 200 ok"))
        let report = try relayReport.wait()
        #expect(report.error == nil)
        #expect(report.bytesFirstToSecond == request.count)
        #expect(report.bytesSecondToFirst == response.count)
    }

    @Test(arguments: [
        RawLoopbackServer.Behaviour.reset,
        RawLoopbackServer.Behaviour.reply(Array("SSH-2.0-OpenSSH_9.2\r\n".utf8)),
    ])
    func aHostilePeerEndsATLSStreamHandshakeWithACleanError(behaviour: RawLoopbackServer.Behaviour) throws {
        let server = try RawLoopbackServer(behaviour)
        let loopThread = try EventLoopThread()
        defer { loopThread.stopAndJoin() }
        let context = try TLSContext(.client())
        let options = TLSClientOptions(
            dane: DANEParameters(
                baseDomain: "good.example",
                records: [TLSARecord(usage: 3, selector: 1, matchingType: 1, data: [UInt8](repeating: 1, count: 32))]))
        let port = server.port
        let outcome = Outcome<TLSPeerVerification?>()
        let loop = loopThread.loop
        loop.execute {
            Self.connectTLS(loop: loop, port: port, context: context, options: options) { result in
                switch result {
                case .success(let (stream, verification)):
                    stream.close(nil)
                    outcome.succeed(verification)
                case .failure(let error):
                    outcome.fail(error)
                }
            }
        }
        #expect {
            _ = try outcome.wait()
        } throws: { error in
            guard let error = error as? TLSError else { return false }
            return error.code == .peerClosedDuringHandshake || error.code == .handshakeFailed
        }
    }
}

/// Bulk data through a Relay whose upstream end is a TLSStream, checked with SHA-256 at both ends.
@Suite struct TLSRelayDataTests {
    @Test func aRelayCarries32MiBIntoTLSIntactAndReturnsTrafficAfterHalfClose() throws {
        let pki = try TestPKI()
        let identity = TLSConfiguration.Identity.files(certificateChain: pki.leafChain, privateKey: pki.leafKey)
        let sink = try TLSDigestSink(context: try TLSContext(.server(identity: identity)))
        let loopThread = try EventLoopThread()
        defer { loopThread.stopAndJoin() }
        let context = try TLSContext(.client())
        let record = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: try pki.spkiSHA256(pki.leafCertificate))
        let options = TLSClientOptions(dane: DANEParameters(baseDomain: "good.example", records: [record]))
        let upstreamPort = sink.port
        let listening = Outcome<UInt16>()
        let relayReport = Outcome<RelayReport>()
        let loop = loopThread.loop
        loop.execute {
            do {
                let address = try SocketAddress(host: "127.0.0.1", port: 0)
                let listener = try TCPListener(loop: loop, address: address) { client in
                    TCPStream.connect(loop: loop, to: (try? SocketAddress(host: "127.0.0.1", port: upstreamPort)) ?? address) {
                        result in
                        guard case .success(let tcp) = result,
                            let session = try? TLSSession(client: context, options: options)
                        else {
                            client.close()
                            relayReport.fail(TestSupportError(.commandFailed, "cannot connect upstream"))
                            return
                        }
                        let upstream = TLSStream(session: session, transport: tcp)
                        upstream.handshake { outcome in
                            guard case .success = outcome else {
                                upstream.close(nil)
                                client.close()
                                relayReport.fail(TestSupportError(.commandFailed, "handshake: \(outcome)"))
                                return
                            }
                            Relay(client, upstream, highWatermark: 256 << 10, lowWatermark: 64 << 10).start {
                                relayReport.succeed($0)
                            }
                        }
                    }
                }
                listening.succeed(listener.localAddress.port)
            } catch {
                listening.fail(error)
            }
        }

        let client = try BlockingSocket(connectingTo: try listening.wait())
        let total = 32 << 20
        var generator = SplitMix64(seed: 2026)
        let digest = MessageDigest(.sha256)
        var sent = 0
        while sent < total {
            let chunk = (0..<(64 * 1024 / 8)).flatMap { _ in withUnsafeBytes(of: generator.next()) { Array($0) } }
            digest.update(chunk)
            client.send(chunk)
            sent += chunk.count
        }
        client.shutdownWrite()
        var reply: [UInt8] = []
        while let bytes = try client.receive() { reply += bytes }
        let expected = "\(total) " + digest.finalize().map { String(format: "%02x", $0) }.joined() + "\n"
        #expect(String(decoding: reply, as: UTF8.self) == expected)
        let report = try relayReport.wait()
        #expect(report.error == nil)
        #expect(report.bytesFirstToSecond == total)
        #expect(report.bytesSecondToFirst == reply.count)
    }
}
