import TLS

extension OfflineVerification {
    /// The failure as a reason code; nil when the chain passed.
    public var reason: DANEReason? {
        if passed { return nil }
        if usableRecords.isEmpty { return .tlsaUnusable }
        return certificateVerifyResult == .hostnameMismatch ? .daneNameMismatch : .daneNoMatch
    }
}
