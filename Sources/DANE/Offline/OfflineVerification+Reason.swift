import TLS

extension OfflineVerification {
    /// The failure as a reason code; nil when the chain passed.
    /// X509_V_ERR_DANE_NO_MATCH (65) is no match; X509_V_ERR_HOSTNAME_MISMATCH (62) a name
    /// mismatch; every other verify error a failure of the certificate path (expired, no
    /// issuer, untrusted root: `tls-handshake-failed`, as a handshake with that chain would end).
    public var reason: DANEReason? {
        if passed { return nil }
        if usableRecords.isEmpty { return .tlsaUnusable }
        switch certificateVerifyResult {
        case .hostnameMismatch: return .daneNameMismatch
        case .daneNoMatch: return .daneNoMatch
        default: return .tlsHandshakeFailed
        }
    }
}
