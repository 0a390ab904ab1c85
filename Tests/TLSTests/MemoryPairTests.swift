import Foundation
import TLS
import TestSupport
import Testing

/// A client and a server session talking through memory only: the state machine without sockets.
@Suite struct MemoryPairTests {
    /// Moves ciphertext both ways until neither side has anything to send.
    private func pump(_ client: TLSSession, _ server: TLSSession) {
        var moved = true
        while moved {
            moved = false
            _ = client.handshake()
            let fromClient = client.takeCiphertext()
            if !fromClient.isEmpty {
                server.feed(fromClient)
                moved = true
            }
            _ = server.handshake()
            let fromServer = server.takeCiphertext()
            if !fromServer.isEmpty {
                client.feed(fromServer)
                moved = true
            }
        }
    }

    private func makeServer(_ pki: TestPKI, alpn: [String] = []) throws -> TLSSession {
        let identity = TLSConfiguration.Identity.pem(
            certificateChain: try pki.pem(pki.leafChain), privateKey: try pki.pem(pki.leafKey))
        return try TLSSession(server: try TLSContext(.server(identity: identity, alpnProtocols: alpn)))
    }

    @Test func clientAndServerAgreeAndExchangeDataBothWays() throws {
        let pki = try TestPKI()
        let server = try makeServer(pki, alpn: ["imap", "http/1.1"])
        let record = TLSARecord(usage: 2, selector: 1, matchingType: 1, data: try pki.spkiSHA256(pki.intermediateCertificate))
        let client = try TLSSession(
            client: try TLSContext(.client(alpnProtocols: ["http/1.1"])),
            options: TLSClientOptions(
                serverName: "good.example", dane: DANEParameters(baseDomain: "good.example", records: [record])))
        pump(client, server)
        #expect(client.handshake() == .established)
        #expect(server.handshake() == .established)
        #expect(server.requestedServerName == "good.example")
        #expect(client.peerVerification?.dane == .matched(DANEMatch(record: record, depth: 1)))
        #expect(client.peerVerification?.alpnProtocol == "http/1.1")

        try client.write(Array("ping".utf8))
        pump(client, server)
        #expect(try server.readPlaintext() == .data(Array("ping".utf8)))
        try server.write(Array("pong".utf8))
        pump(client, server)
        #expect(try client.readPlaintext() == .data(Array("pong".utf8)))

        // Half-close: the client says close_notify, the server still writes, then closes too.
        client.close()
        pump(client, server)
        #expect(try server.readPlaintext() == .closed)
        try server.write(Array("last words".utf8))
        server.close()
        pump(client, server)
        #expect(try client.readPlaintext() == .data(Array("last words".utf8)))
        #expect(try client.readPlaintext() == .closed)
    }

    @Test func theServerFlightFedOneByteAtATimeCompletesTheHandshake() throws {
        let pki = try TestPKI()
        let server = try makeServer(pki)
        let record = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: try pki.spkiSHA256(pki.leafCertificate))
        let client = try TLSSession(
            client: try TLSContext(.client()),
            options: TLSClientOptions(dane: DANEParameters(baseDomain: "good.example", records: [record])))
        #expect(client.handshake() == .needMoreData)
        server.feed(client.takeCiphertext())
        #expect(server.handshake() == .needMoreData)
        let flight = server.takeCiphertext()
        for (index, byte) in flight.enumerated() {
            client.feed([byte])
            let progress = client.handshake()
            if index < flight.count - 1 {
                #expect(progress == .needMoreData)
            } else {
                #expect(progress == .established)
            }
        }
    }

    @Test func everyTruncationOfTheServerFlightFailsCleanly() throws {
        let pki = try TestPKI()
        let record = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: try pki.spkiSHA256(pki.leafCertificate))
        let clientContext = try TLSContext(.client())
        let options = TLSClientOptions(dane: DANEParameters(baseDomain: "good.example", records: [record]))
        // Each prefix needs a fresh client and server (the flight depends on the ClientHello);
        // sample prefix lengths across the flight.
        for fraction in stride(from: 0, to: 100, by: 7) {
            let server = try makeServer(pki)
            let client = try TLSSession(client: clientContext, options: options)
            _ = client.handshake()
            server.feed(client.takeCiphertext())
            _ = server.handshake()
            let flight = server.takeCiphertext()
            client.feed(Array(flight.prefix(flight.count * fraction / 100)))
            #expect(client.handshake() == .needMoreData)
            client.feedEndOfStream()
            guard case .failed(let error) = client.handshake() else {
                Issue.record("a truncated flight must fail")
                return
            }
            #expect(error.code == .peerClosedDuringHandshake)
        }
    }

    @Test func truncationWithoutCloseNotifyIsReported() throws {
        let pki = try TestPKI()
        let server = try makeServer(pki)
        let record = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: try pki.spkiSHA256(pki.leafCertificate))
        let client = try TLSSession(
            client: try TLSContext(.client()),
            options: TLSClientOptions(dane: DANEParameters(baseDomain: "good.example", records: [record])))
        pump(client, server)
        #expect(client.isEstablished)
        _ = try client.readPlaintext()
        client.feedEndOfStream()
        #expect(throws: TLSError.self) { try client.readPlaintext() }
        do {
            _ = try client.readPlaintext()
        } catch let error as TLSError {
            #expect(error.code == .unexpectedEndOfStream)
        }
    }

    @Test func certificateHelpersMatchTheCommandLine() throws {
        let pki = try TestPKI()
        let certificate = try X509Certificate(pem: try pki.pem(pki.leafCertificate))
        #expect(certificate.spkiSHA256 == (try pki.spkiSHA256(pki.leafCertificate)))
        #expect(certificate.sha256 == (try pki.certificateSHA256(pki.leafCertificate)))
        #expect(try X509Certificate.chain(fromPEM: try pki.pem(pki.leafChain)).count == 2)
        #expect(throws: TLSError.self) { try X509Certificate(pem: "not a certificate") }
    }
}
