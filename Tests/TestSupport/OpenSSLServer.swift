import Foundation


/// An `openssl s_server` on 127.0.0.1 with an OS-chosen port, read back from its
/// `ACCEPT 127.0.0.1:<port>` line. Its stdin stays open (s_server ends a connection when its
/// stdin reaches end of file); without -www it prints the application data it receives.
public final class OpenSSLServer {
    public let peer: PeerProcess
    public let port: UInt16

    public init(_ arguments: [String]) throws {
        peer = try PeerProcess("openssl", ["s_server", "-accept", "127.0.0.1:0"] + arguments, package: "openssl")
        let groups = try peer.waitForMatch(#"ACCEPT 127\.0\.0\.1:(\d+)"#)
        guard groups.count == 2, let port = UInt16(groups[1]) else {
            throw TestSupportError(.commandFailed, "no port in s_server output:\n\(peer.transcript)")
        }
        self.port = port
    }

    /// A server presenting the PKI's leaf with the intermediate in its chain.
    public convenience init(pki: TestPKI, _ extra: [String] = []) throws {
        try self.init(
            ["-cert", pki.leafCertificate, "-key", pki.leafKey, "-cert_chain", pki.intermediateCertificate] + extra)
    }

    deinit {
        peer.kill()
    }
}
