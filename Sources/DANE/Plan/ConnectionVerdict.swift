/// The outcome of one upstream connection in the audit log's four words (issue 11), with the
/// reason code whenever it is not `verified`.
public enum ConnectionVerdict: Sendable, Equatable, CustomStringConvertible {
    /// A usable TLSA record authenticated the upstream.
    case verified
    /// TLS is up but not DANE-authenticated, and the policy (`opportunistic`, `audit`) let it on.
    case unauthenticated(DANEReason)
    /// DANE or DNS refused the connection (DESIGN rules 2-7).
    case refused(DANEReason)
    /// The upstream could not be reached or did not finish in time.
    case error(DANEReason)

    /// A refusal or an error for `reason`: unreachable and timeouts are errors, the rest refusals.
    public static func failure(_ reason: DANEReason) -> ConnectionVerdict {
        switch reason {
        case .upstreamUnreachable, .timeout, .tlsHandshakeFailed: .error(reason)
        default: .refused(reason)
        }
    }

    /// "verified", "unauthenticated", "refused" or "error".
    public var name: String {
        switch self {
        case .verified: "verified"
        case .unauthenticated: "unauthenticated"
        case .refused: "refused"
        case .error: "error"
        }
    }

    public var reason: DANEReason? {
        switch self {
        case .verified: nil
        case .unauthenticated(let reason), .refused(let reason), .error(let reason): reason
        }
    }

    /// True when bytes may be relayed.
    public var allowsRelay: Bool {
        switch self {
        case .verified, .unauthenticated: true
        case .refused, .error: false
        }
    }

    public var description: String { reason.map { "\(name) (\($0.rawValue))" } ?? name }
}
