import Foundation
import TLS
import TestSupport
import Testing

/// DANE authentication against real `openssl s_server` peers (issue 2, "Done when"; DESIGN rules
/// 1, 8 and 9). TLSA data comes from the openssl CLI, never from the code under test.
@Suite struct DANEVerificationTests {
    @Test func daneEEMatchSucceedsAtDepthZeroAndReportsTheRecord() throws {
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let record = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: try pki.spkiSHA256(pki.leafCertificate))
        let context = try TLSContext(.client())
        let client = try connectClient(
            context, port: server.port,
            options: TLSClientOptions(dane: DANEParameters(baseDomain: "good.example", records: [record])))

        #expect(try client.handshake() == .established)
        let verification = try #require(client.session.peerVerification)
        #expect(verification.verifyResult == 0)
        #expect(verification.dane == .matched(DANEMatch(record: record, depth: 0)))
        #expect(verification.isAuthenticated)
        #expect(verification.peerSPKISHA256 == record.data)
        #expect(verification.peerCertificateSHA256 == (try pki.certificateSHA256(pki.leafCertificate)))
        #expect(verification.protocolVersion == "TLSv1.3")
        #expect(!verification.cipher.isEmpty)
        // The presented chain, leaf first, so every TLSA record can be judged on its own.
        #expect(verification.peerChain.count == 2)
        #expect(verification.peerChain.first?.subjectPublicKeyInfo == (try pki.spkiDER(pki.leafCertificate)))
        #expect(verification.peerChain.last?.subjectPublicKeyInfo == (try pki.spkiDER(pki.intermediateCertificate)))

        // Positive control for the "no application byte" test below: this server prints what it gets.
        try client.write("danegate-probe\n")
        try server.peer.waitForLine(containing: "danegate-probe")
    }

    @Test func daneEESkipsNameChecksForAnotherBaseDomain() throws {
        // RFC 7671 §5.1: a DANE-EE match authenticates whatever names the certificate carries.
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let record = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: try pki.spkiSHA256(pki.leafCertificate))
        let client = try connectClient(
            try TLSContext(.client()), port: server.port,
            options: TLSClientOptions(dane: DANEParameters(baseDomain: "mx.other.example", records: [record])))
        #expect(try client.handshake() == .established)
        #expect(client.session.peerVerification?.dane == .matched(DANEMatch(record: record, depth: 0)))
    }

    @Test(arguments: ["-tls1_2", "-tls1_3"])
    func wrongDANEEEDigestFailsWith65AndSendsNoApplicationByte(version: String) throws {
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki, [version, "-naccept", "1"])
        var digest = try pki.spkiSHA256(pki.leafCertificate)
        digest[0] ^= 0xff
        let record = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: digest)
        let client = try connectClient(
            try TLSContext(.client()), port: server.port,
            options: TLSClientOptions(dane: DANEParameters(baseDomain: "good.example", records: [record])))

        // The engine refuses application data before the peer is verified.
        #expect(throws: TLSError.self) { try client.write("danegate-probe\n") }
        let progress = try client.handshake()
        guard case .failed(let error) = progress else {
            Issue.record("handshake should fail, got \(progress)")
            return
        }
        #expect(error.code == .verificationFailed)
        #expect(error.verifyResult == 65)  // X509_V_ERR_DANE_NO_MATCH
        #expect(client.session.peerVerification == nil)
        #expect(throws: TLSError.self) { try client.write("danegate-probe\n") }

        // No application byte: with TLS 1.2 every record we sent is in the clear, and none is
        // application_data (23); with both versions the server, which prints any application data
        // it receives, saw none before the connection ended.
        if version == "-tls1_2" {
            let types = recordContentTypes(client.socket.sent)
            #expect(!types.isEmpty && !types.contains(23), "record types sent: \(types)")
        }
        client.socket.shutdownWrite()
        try server.peer.waitForExit()
        #expect(!server.peer.stdoutLines.contains { $0.contains("danegate-probe") })
        #expect(!server.peer.stdoutLines.contains { $0.hasPrefix("CIPHER is") })  // its handshake never finished
    }

    @Test func daneTAOnTheIntermediateSucceedsAtDepthOne() throws {
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let record = TLSARecord(
            usage: 2, selector: 0, matchingType: 1, data: try pki.certificateSHA256(pki.intermediateCertificate))
        let client = try connectClient(
            try TLSContext(.client()), port: server.port,
            options: TLSClientOptions(dane: DANEParameters(baseDomain: "good.example", records: [record])))
        #expect(try client.handshake() == .established)
        let verification = try #require(client.session.peerVerification)
        #expect(verification.verifyResult == 0)
        #expect(verification.dane == .matched(DANEMatch(record: record, depth: 1)))
    }

    @Test func daneTAWithTheRootKeyOutsideTheChainMatchesAsABareKey() throws {
        // The server sends leaf and intermediate only; a 2 1 0 record carries the root's key,
        // which signed the top of the chain (depth 1) without being in it.
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let record = TLSARecord(usage: 2, selector: 1, matchingType: 0, data: try pki.spkiDER(pki.rootCertificate))
        let client = try connectClient(
            try TLSContext(.client()), port: server.port,
            options: TLSClientOptions(dane: DANEParameters(baseDomain: "good.example", records: [record])))
        #expect(try client.handshake() == .established)
        #expect(
            client.session.peerVerification?.dane
                == .matched(DANEMatch(record: record, depth: 1, isBareTrustAnchorKey: true)))
    }

    @Test func daneTAWithAWrongHostNameFailsWith62() throws {
        // RFC 7671 §5.2: DANE-TA checks names against the reference identifiers.
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let record = TLSARecord(
            usage: 2, selector: 0, matchingType: 1, data: try pki.certificateSHA256(pki.intermediateCertificate))
        let client = try connectClient(
            try TLSContext(.client()), port: server.port,
            options: TLSClientOptions(dane: DANEParameters(baseDomain: "wrong.example", records: [record])))
        let progress = try client.handshake()
        guard case .failed(let error) = progress else {
            Issue.record("handshake should fail, got \(progress)")
            return
        }
        #expect(error.code == .verificationFailed)
        #expect(error.verifyResult == 62)  // X509_V_ERR_HOSTNAME_MISMATCH
    }

    @Test func daneTAChecksAdditionalReferenceIdentifiers() throws {
        // RFC 7672 §3.2.3: for MX, the next-hop domain is a reference identifier too.
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let record = TLSARecord(
            usage: 2, selector: 0, matchingType: 1, data: try pki.certificateSHA256(pki.intermediateCertificate))
        let client = try connectClient(
            try TLSContext(.client()), port: server.port,
            options: TLSClientOptions(
                referenceIdentifiers: ["good.example"],
                dane: DANEParameters(baseDomain: "mx.example", records: [record])))
        #expect(try client.handshake() == .established)
        #expect(client.session.peerVerification?.dane == .matched(DANEMatch(record: record, depth: 1)))
    }

    static let malformedRecords = [
        TLSARecord(usage: 9, selector: 1, matchingType: 1, data: [UInt8](repeating: 1, count: 32)),  // no usage 9
        TLSARecord(usage: 3, selector: 1, matchingType: 1, data: [UInt8](repeating: 1, count: 31)),  // short SHA-256
        TLSARecord(usage: 3, selector: 7, matchingType: 1, data: [UInt8](repeating: 1, count: 32)),  // no selector 7
        TLSARecord(usage: 3, selector: 1, matchingType: 9, data: [UInt8](repeating: 1, count: 32)),  // no type 9
        TLSARecord(usage: 3, selector: 0, matchingType: 0, data: [0x30, 0x03, 0x02, 0x01]),  // not a certificate
    ]

    @Test func aTLSASetOfOnlyMalformedRecordsCountsAsNoUsableRecords() throws {
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let session = try TLSSession(
            client: try TLSContext(.client()),
            options: TLSClientOptions(dane: DANEParameters(baseDomain: "good.example", records: Self.malformedRecords)))
        let load = try #require(session.daneRecordLoad)
        #expect(load.hasNoUsableRecords)
        #expect(load.usable.isEmpty)
        #expect(load.unusable.map(\.record) == Self.malformedRecords)

        // Enforcing, DANE is off: the session fails before sending a single byte (rule 9).
        let client = SocketTLSDriver(session: session, socket: try BlockingSocket(connectingTo: server.port))
        #expect(try client.handshake() == .failed(TLSError(.noUsableRecords, "none of the TLSA records is usable; DANE is off")))
        #expect(client.socket.sent.isEmpty)
    }

    @Test func reportOnlyModeSaysDANEWasOffWhenNoRecordIsUsable() throws {
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let client = try connectClient(
            try TLSContext(.client()), port: server.port,
            options: TLSClientOptions(
                dane: DANEParameters(baseDomain: "good.example", records: Self.malformedRecords),
                enforcement: .reportOnly))
        #expect(try client.handshake() == .established)
        let verification = try #require(client.session.peerVerification)
        #expect(verification.dane == .noUsableRecords)
        #expect(verification.verifyResult != 0)  // no trust anchor: PKIX cannot succeed either
        #expect(!verification.isAuthenticated)
    }

    @Test func usableRecordsAmongMalformedOnesAreCounted() throws {
        let pki = try TestPKI()
        let good = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: try pki.spkiSHA256(pki.leafCertificate))
        let session = try TLSSession(
            client: try TLSContext(.client()),
            options: TLSClientOptions(
                dane: DANEParameters(baseDomain: "good.example", records: Self.malformedRecords + [good])))
        #expect(session.daneRecordLoad?.usable == [good])
        #expect(session.daneRecordLoad?.unusable.count == Self.malformedRecords.count)
        #expect(session.daneRecordLoad?.hasNoUsableRecords == false)
    }

    @Test func pkixWithTheRootAsTrustAnchorSucceeds() throws {
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let client = try connectClient(
            try TLSContext(.client(trustRoots: .file(pki.rootCertificate))), port: server.port,
            options: TLSClientOptions(serverName: "good.example", referenceIdentifiers: ["good.example"]))
        #expect(try client.handshake() == .established)
        #expect(client.session.peerVerification?.verifyResult == 0)
        #expect(client.session.peerVerification?.dane == .notRequested)
    }

    @Test func pkixChecksTheServerNameByDefault() throws {
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let client = try connectClient(
            try TLSContext(.client(trustRoots: .file(pki.rootCertificate))), port: server.port,
            options: TLSClientOptions(serverName: "other.example"))
        guard case .failed(let error) = try client.handshake() else {
            Issue.record("a certificate for good.example must not pass for other.example")
            return
        }
        #expect(error.verifyResult == 62)
    }

    @Test func enforcingPKIXWithoutAnyNameIsRefused() throws {
        #expect {
            _ = try TLSSession(client: try TLSContext(.client(trustRoots: .system)), options: TLSClientOptions())
        } throws: { error in
            (error as? TLSError)?.code == .setupFailed
        }
    }

    @Test func reportOnlyModeCompletesAndReportsAMismatchOrAMatch() throws {
        // The `audit` policy: connect whatever the outcome, and say what it was.
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let context = try TLSContext(.client())
        var digest = try pki.spkiSHA256(pki.leafCertificate)
        let good = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: digest)
        digest[5] ^= 0x40
        let wrong = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: digest)

        let mismatch = try connectClient(
            context, port: server.port,
            options: TLSClientOptions(
                dane: DANEParameters(baseDomain: "good.example", records: [wrong]), enforcement: .reportOnly))
        #expect(try mismatch.handshake() == .established)
        #expect(mismatch.session.peerVerification?.verifyResult == 65)
        #expect(mismatch.session.peerVerification?.dane == .noMatch)
        #expect(mismatch.session.peerVerification?.isAuthenticated == false)
        mismatch.close()

        let match = try connectClient(
            context, port: server.port,
            options: TLSClientOptions(
                dane: DANEParameters(baseDomain: "good.example", records: [wrong, good]), enforcement: .reportOnly))
        #expect(try match.handshake() == .established)
        #expect(match.session.peerVerification?.dane == .matched(DANEMatch(record: good, depth: 0)))
        #expect(match.session.peerVerification?.isAuthenticated == true)
    }

    @Test func hostNamesWithANULAreRefused() throws {
        #expect {
            _ = try TLSSession(
                client: try TLSContext(.client()),
                options: TLSClientOptions(dane: DANEParameters(baseDomain: "good.example\u{0}.evil", records: [])))
        } throws: { error in
            (error as? TLSError)?.code == .setupFailed
        }
    }

    @Test func daneEENameChecksCanBeTurnedOnPerSessionOrPerContext() throws {
        // OpenSSL checks DANE-EE names unless DANE_FLAG_NO_DANE_EE_NAMECHECKS is set.
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let record = TLSARecord(usage: 3, selector: 1, matchingType: 1, data: try pki.spkiSHA256(pki.leafCertificate))
        var checkingConfiguration = TLSConfiguration.client()
        checkingConfiguration.skipDANEEENameChecks = false
        let cases: [(TLSContext, Bool?)] = [
            (try TLSContext(.client()), false),
            (try TLSContext(checkingConfiguration), nil),
        ]
        for (context, skip) in cases {
            let client = try connectClient(
                context, port: server.port,
                options: TLSClientOptions(
                    dane: DANEParameters(baseDomain: "mx.other.example", records: [record], skipDANEEENameChecks: skip)))
            guard case .failed(let error) = try client.handshake() else {
                Issue.record("a DANE-EE match for another name must fail when names are checked")
                continue
            }
            #expect(error.verifyResult == 62)
        }
    }
}
