import Foundation
import TLS
import TestSupport
import Testing

/// SNI, ALPN, session resumption and close_notify against `openssl s_server`.
@Suite struct TLSFeatureTests {
    @Test func sniSelectsTheServersCertificateForTheName() throws {
        // The server's default certificate is the rogue one; only SNI "good.example" gets the leaf
        // that the TLSA record names. A match therefore proves the name was sent.
        let pki = try TestPKI()
        let server = try OpenSSLServer([
            "-cert", pki.rogueCertificate, "-key", pki.rogueKey,
            "-servername", "good.example", "-cert2", pki.leafCertificate, "-key2", pki.leafKey,
        ])
        let record = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: try pki.spkiSHA256(pki.leafCertificate))
        let context = try TLSContext(.client())
        let withSNI = try connectClient(
            context, port: server.port,
            options: TLSClientOptions(
                serverName: "good.example", dane: DANEParameters(baseDomain: "good.example", records: [record])))
        #expect(try withSNI.handshake() == .established)
        try server.peer.waitForLine(containing: "Hostname in TLS extension: \"good.example\"")
        withSNI.close()

        let otherSNI = try connectClient(
            context, port: server.port,
            options: TLSClientOptions(
                serverName: "other.example", dane: DANEParameters(baseDomain: "good.example", records: [record])))
        guard case .failed(let error) = try otherSNI.handshake() else {
            Issue.record("the rogue certificate must not match")
            return
        }
        #expect(error.verifyResult == 65)
    }

    @Test func alpnIsNegotiated() throws {
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki, ["-alpn", "http/1.1"])
        let record = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: try pki.spkiSHA256(pki.leafCertificate))
        let client = try connectClient(
            try TLSContext(.client(alpnProtocols: ["h2", "http/1.1"])), port: server.port,
            options: TLSClientOptions(dane: DANEParameters(baseDomain: "good.example", records: [record])))
        #expect(try client.handshake() == .established)
        #expect(client.session.peerVerification?.alpnProtocol == "http/1.1")
    }

    @Test(arguments: ["-tls1_2", "-tls1_3"])
    func aSecondConnectionToTheSameUpstreamResumesTheSession(version: String) throws {
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki, [version, "-www"])
        let record = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: try pki.spkiSHA256(pki.leafCertificate))
        let context = try TLSContext(.client())
        let options = TLSClientOptions(
            dane: DANEParameters(baseDomain: "good.example", records: [record]),
            resumptionKey: "good.example:\(server.port)")

        do {
            // Closed at the end of this block: s_server serves one connection at a time.
            let first = try connectClient(context, port: server.port, options: options)
            #expect(try first.handshake() == .established)
            #expect(first.session.peerVerification?.resumed == false)
            try first.write("GET / HTTP/1.0\r\n\r\n")
            let firstPage = try first.readToEnd()
            #expect(firstPage.text.contains("New, TLSv1"))
            #expect(firstPage.closeNotify)
            first.close()
        }

        do {
            let second = try connectClient(context, port: server.port, options: options)
            #expect(try second.handshake() == .established)
            let verification = try #require(second.session.peerVerification)
            #expect(verification.resumed)
            #expect(verification.isAuthenticated)
            #expect(verification.dane == .matched(DANEMatch(record: record, depth: 0)))
            #expect(verification.peerSPKISHA256 == record.data)
            try second.write("GET / HTTP/1.0\r\n\r\n")
            #expect(try second.readToEnd().text.contains("Reused, TLSv1"))
            second.close()
        }

        // Another TLSA set is another cache key: no resumption under different records.
        let otherRecords = TLSClientOptions(
            dane: DANEParameters(baseDomain: "good.example", records: [record, record]),
            resumptionKey: "good.example:\(server.port)")
        do {
            let third = try connectClient(context, port: server.port, options: otherRecords)
            #expect(try third.handshake() == .established)
            #expect(third.session.peerVerification?.resumed == false)
            third.close()
        }

        // The resumed connection's own new session resumes again, still carrying the DANE match.
        let fourth = try connectClient(context, port: server.port, options: options)
        #expect(try fourth.handshake() == .established)
        #expect(fourth.session.peerVerification?.resumed == true)
        #expect(fourth.session.peerVerification?.dane == .matched(DANEMatch(record: record, depth: 0)))
    }

    @Test func closeNotifyIsSentAndReceived() throws {
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let record = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: try pki.spkiSHA256(pki.leafCertificate))
        let client = try connectClient(
            try TLSContext(.client()), port: server.port,
            options: TLSClientOptions(dane: DANEParameters(baseDomain: "good.example", records: [record])))
        #expect(try client.handshake() == .established)
        try client.write("before-close\n")
        try server.peer.waitForLine(containing: "before-close")
        client.close()
        #expect(throws: TLSError.self) { try client.write("after-close\n") }
        // s_server answers our close_notify with its own and prints DONE.
        try server.peer.waitForLine(containing: "DONE")
        #expect(try client.readToEnd().closeNotify)
        #expect(client.session.peerClosed)
    }
}
