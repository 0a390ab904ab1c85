/// The one error of the TLS module: a code tests compare, and a human reason that includes the
/// OpenSSL error queue text when OpenSSL had something to say.
public struct TLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for programs.
    public enum Code: String, Sendable, Equatable {
        /// Building an SSL_CTX or SSL failed (out of memory, bad option).
        case setupFailed
        /// A certificate, key, chain or CA file could not be loaded.
        case certificateLoadFailed
        /// The peer's certificate did not verify; `verifyResult` holds the X509_V_ERR code.
        case verificationFailed
        /// DANE was asked for but no TLSA record was usable (DESIGN rule 9): DANE is off.
        case noUsableRecords
        /// The handshake failed for a protocol reason (alert, garbage, version mismatch).
        case handshakeFailed
        /// The transport ended before the handshake completed.
        case peerClosedDuringHandshake
        /// The transport ended without close_notify (possible truncation attack).
        case unexpectedEndOfStream
        /// A record failed to decrypt or parse after the handshake.
        case protocolError
        /// Application data was written before the session was established and verified.
        case notEstablished
        /// The session was already closed or failed.
        case closed
    }

    public let code: Code
    public let reason: String
    /// The X509 verify result (X509_V_OK = 0, 62 = hostname mismatch, 65 = DANE no match, ...)
    /// when the failure came from certificate verification.
    public let verifyResult: Int32?

    public init(_ code: Code, _ reason: String, verifyResult: Int32? = nil) {
        self.code = code
        self.reason = reason
        self.verifyResult = verifyResult
    }

    public var description: String {
        if let verifyResult {
            return "\(code.rawValue) (verify result \(verifyResult)): \(reason)"
        }
        return "\(code.rawValue): \(reason)"
    }
}
