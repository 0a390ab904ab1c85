import DANE

/// Everything one finished client connection leaves: its audit record, the policy it ran
/// under, and every upstream host tried in order (which one was used, and why the others were
/// not), for the audit log and the per-connection log line.
public struct GatewayConnectionReport: Sendable {
    public var audit: AuditRecord
    public var policy: DANEPolicy
    /// The upstream hosts tried, in order; the last is the one used when the verdict allows relay.
    public var attempts: [HostAttempt]
    /// The connection's verdict with its reason.
    public var verdict: ConnectionVerdict?
    /// A human explanation of the outcome.
    public var detail: String
    /// The most early client bytes held at once before the upstream was authenticated.
    public var peakEarlyBytes: Int
}

/// Where finished connections are reported besides the audit sink (the log, tests).
public protocol GatewayObserver: Sendable {
    func connectionFinished(_ report: GatewayConnectionReport)
}
