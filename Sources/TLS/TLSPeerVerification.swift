/// What the handshake established about the peer; reported for every completed handshake and
/// used by the audit log (DESIGN "Audit").
public struct TLSPeerVerification: Sendable, Equatable {
    /// SSL_get_verify_result: X509_V_OK (0) or an X509_V_ERR code such as 62 (hostname mismatch)
    /// or 65 (DANE TLSA no match).
    public let verifyResult: Int32
    /// X509_verify_cert_error_string for `verifyResult`.
    public let verifyResultText: String
    public let dane: DANEOutcome
    /// "TLSv1.3", "TLSv1.2".
    public let protocolVersion: String
    /// The OpenSSL cipher suite name, e.g. "TLS_AES_256_GCM_SHA384".
    public let cipher: String
    /// The ALPN protocol the server selected, if any.
    public let alpnProtocol: String?
    /// True when an earlier session was resumed (its verification is the cached one).
    public let resumed: Bool
    /// SHA-256 of the peer certificate's DER, nil when the peer sent no certificate.
    public let peerCertificateSHA256: [UInt8]?
    /// SHA-256 of the peer certificate's SubjectPublicKeyInfo DER.
    public let peerSPKISHA256: [UInt8]?
    /// The certificates the peer sent, leaf first, so every TLSA record's own result can be
    /// reported (issue 6: a record that does not match is reported, not hidden). Empty when the
    /// peer sent none (a resumed session may carry none).
    public let peerChain: [PeerCertificate]

    /// The verify result is X509_V_OK, and if DANE was requested a record matched.
    public var isAuthenticated: Bool {
        guard verifyResult == 0 else { return false }
        switch dane {
        case .notRequested, .matched: return true
        case .noUsableRecords, .noMatch: return false
        }
    }
}

/// One certificate of the peer's chain in the two forms a TLSA selector names (RFC 6698
/// §2.1.2: 0 the full certificate, 1 the SubjectPublicKeyInfo).
public struct PeerCertificate: Sendable, Equatable {
    public let der: [UInt8]
    public let subjectPublicKeyInfo: [UInt8]

    public init(der: [UInt8], subjectPublicKeyInfo: [UInt8]) {
        self.der = der
        self.subjectPublicKeyInfo = subjectPublicKeyInfo
    }
}

/// How a client session authenticates its peer.
public enum TLSEnforcement: Sendable, Hashable {
    /// Verification must succeed or the handshake fails (the gateway's normal mode).
    case enforce
    /// Complete the handshake whatever verification says and only report it (opportunistic TLS
    /// and the `audit` policy). The session is encrypted but possibly unauthenticated.
    case reportOnly
}
