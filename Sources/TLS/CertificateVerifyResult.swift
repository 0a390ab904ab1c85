internal import COpenSSL

/// SSL_get_verify_result as a value (X509_verify_cert_error_string(3)): the few codes the layers
/// above decide on get a case of their own, so no bare X509_V_ERR number leaves the TLS layer.
public enum CertificateVerifyResult: Sendable, Equatable, CustomStringConvertible {
    /// X509_V_OK.
    case ok
    /// X509_V_ERR_HOSTNAME_MISMATCH: the chain verified (a DANE-TA(2) or PKIX anchor) but the
    /// certificate names none of the reference identifiers (RFC 7671 §5.2).
    case hostnameMismatch
    /// X509_V_ERR_DANE_NO_MATCH: no TLSA record matched the chain.
    case daneNoMatch
    /// X509_V_ERR_CERT_HAS_EXPIRED (RFC 8460 `certificate-expired`).
    case certificateExpired
    /// Any other X509_V_ERR code.
    case other(Int32)

    public init(code: Int32) {
        switch code {
        case Int32(X509_V_OK): self = .ok
        case Int32(X509_V_ERR_HOSTNAME_MISMATCH): self = .hostnameMismatch
        case Int32(X509_V_ERR_DANE_NO_MATCH): self = .daneNoMatch
        case Int32(X509_V_ERR_CERT_HAS_EXPIRED): self = .certificateExpired
        default: self = .other(code)
        }
    }

    /// The X509_V_ERR code, for reports that print it.
    public var code: Int32 {
        switch self {
        case .ok: Int32(X509_V_OK)
        case .hostnameMismatch: Int32(X509_V_ERR_HOSTNAME_MISMATCH)
        case .daneNoMatch: Int32(X509_V_ERR_DANE_NO_MATCH)
        case .certificateExpired: Int32(X509_V_ERR_CERT_HAS_EXPIRED)
        case .other(let code): code
        }
    }

    public var description: String {
        String(cString: X509_verify_cert_error_string(Int(code)))
    }
}

extension TLSPeerVerification {
    /// `verifyResult` as a value.
    public var certificateVerifyResult: CertificateVerifyResult { CertificateVerifyResult(code: verifyResult) }
}

extension TLSError {
    /// `verifyResult` as a value, when the failure came from certificate verification.
    public var certificateVerifyResult: CertificateVerifyResult? { verifyResult.map(CertificateVerifyResult.init(code:)) }
}

extension OfflineVerification {
    /// `verifyResult` as a value.
    public var certificateVerifyResult: CertificateVerifyResult { CertificateVerifyResult(code: verifyResult) }
}
