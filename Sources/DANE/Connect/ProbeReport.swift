/// The result of `dane probe`: every host checked, in preference order.
public struct ProbeReport: Sendable {
    public var service: ServiceProtocol
    public var target: String
    public var hosts: [HostReport]
    /// Why no host could be checked, or the MX/SRV reason that applies to all.
    public var targetReason: DANEReason?
    public var targetDetail: String

    /// Passes only if every host checked passed (and there was one).
    public var verdict: HostReport.Verdict {
        !hosts.isEmpty && hosts.allSatisfy { $0.verdict == .pass } ? .pass : .fail
    }

    /// The first failing host's reason, or the target's.
    public var reason: DANEReason? {
        if verdict == .pass { return nil }
        return hosts.first { $0.verdict == .fail }?.reason ?? targetReason ?? .upstreamUnreachable
    }
}
