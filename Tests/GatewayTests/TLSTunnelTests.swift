import Foundation
import TestSupport
import Testing

/// Black-box tests of `danegate tunnel` against `openssl s_server`: bytes flow only to an
/// upstream whose certificate matches the TLSA records (DESIGN rules 1 and 3).
@Suite struct TLSTunnelTests {
    /// Starts `danegate tunnel` to `server` with the given TLSA records and reads its port back.
    private func startTunnel(to server: OpenSSLServer, host: String, tlsa: [String]) throws -> (PeerProcess, UInt16) {
        var arguments = ["tunnel", "--accept", "127.0.0.1:0", "--connect", "127.0.0.1:\(server.port)", "--host", host]
        for record in tlsa { arguments += ["--tlsa", record] }
        let tunnel = try PeerProcess(try builtProduct("danegate"), arguments)
        let groups = try tunnel.waitForMatch(#"LISTEN 127\.0\.0\.1:(\d+)"#)
        guard groups.count == 2, let port = UInt16(groups[1]) else {
            throw TestSupportError(.commandFailed, "no port in danegate output:\n\(tunnel.transcript)")
        }
        return (tunnel, port)
    }

    @Test func matchingDANEEERecordRelaysBothWays() throws {
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let digest = Hex(try pki.spkiSHA256(pki.leafCertificate))
        let (tunnel, port) = try startTunnel(to: server, host: pki.hostName, tlsa: ["3 1 1 \(digest)"])
        defer { tunnel.kill() }

        let client = try BlockingSocket(connectingTo: port)
        client.send(Array("hello through the tunnel\n".utf8))
        try server.peer.waitForLine(containing: "hello through the tunnel", timeout: 10)
        try server.peer.send("hello back\n")
        var received: [UInt8] = []
        while !String(decoding: received, as: UTF8.self).contains("hello back") {
            guard let bytes = try client.receive() else { break }
            received += bytes
        }
        #expect(String(decoding: received, as: UTF8.self).contains("hello back"))
        try tunnel.waitForLine(timeout: 10) { $0.hasPrefix("Verified TLS connection") }
    }

    @Test func wrongDigestRefusesWithoutSendingAByte() throws {
        let pki = try TestPKI()
        let server = try OpenSSLServer(pki: pki)
        let wrong = String(repeating: "ab", count: 32)
        let (tunnel, port) = try startTunnel(to: server, host: pki.hostName, tlsa: ["3 1 1 \(wrong)"])
        defer { tunnel.kill() }

        let client = try BlockingSocket(connectingTo: port)
        client.send(Array("secret that must not leave\n".utf8))
        // The tunnel closes the client without relaying anything.
        #expect(try client.receive() == nil)
        let line = try tunnel.waitForLine(timeout: 10) { $0.hasPrefix("Untrusted TLS connection") }
        // X509_V_ERR_DANE_NO_MATCH (65), in OpenSSL's words.
        #expect(line.contains("verify result 65"), "\(line)")
        #expect(line.contains("no matching DANE TLSA records"), "\(line)")
        #expect(!server.peer.transcript.contains("secret that must not leave"))
    }

    @Test func roguePeerRefusedEvenWithCorrectNameUnderDANETA() throws {
        let pki = try TestPKI()
        let server = try OpenSSLServer([
            "-cert", pki.rogueCertificate, "-key", pki.rogueKey,
        ])
        let intermediate = Hex(try pki.certificateSHA256(pki.intermediateCertificate))
        let (tunnel, port) = try startTunnel(to: server, host: pki.hostName, tlsa: ["2 0 1 \(intermediate)"])
        defer { tunnel.kill() }

        let client = try BlockingSocket(connectingTo: port)
        client.send(Array("nothing for the rogue\n".utf8))
        #expect(try client.receive() == nil)
        let line = try tunnel.waitForLine(timeout: 10) { $0.hasPrefix("Untrusted TLS connection") }
        // The rogue's self-signed chain holds no certificate matching the DANE-TA record.
        #expect(line.contains("verify result 65"), "\(line)")
        #expect(line.contains("no matching DANE TLSA records"), "\(line)")
        #expect(!server.peer.transcript.contains("nothing for the rogue"))
    }
}

/// Lower-case hex of bytes.
private func Hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}
