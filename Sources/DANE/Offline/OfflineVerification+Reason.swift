import TLS

extension OfflineVerification {
    /// The failure as a reason code; nil when the chain passed.
    public var reason: DANEReason? {
        if passed { return nil }
        if usableRecords.isEmpty { return .tlsaUnusable }
        return verifyResult == 62 ? .daneNameMismatch : .daneNoMatch  // X509_V_ERR_HOSTNAME_MISMATCH
    }
}
