import DNSSEC
import DNSWire
import EventLoop
import TLS

/// What a client connection asks for upstream.
public struct UpstreamRequest: Sendable {
    public var service: ServiceProtocol
    public var target: UpstreamTarget
    public var policy: DANEPolicy
    /// Where to connect instead of the hosts' addresses; names, ports and TLSA stay as DNS says
    /// (`dane probe --connect`, tests).
    public var connectAddress: SocketAddress?
    /// Replaces the SNI name the protocol would choose (`sni` in the configuration).
    public var serverName: String?
    /// Check names on DANE-EE(3) matches too (RFC 7671 §5.1 says not to; allowed for HTTP).
    public var daneEENameChecks: Bool
    /// Complete every handshake and only report (the probe's table); no session is enforced.
    public var reportOnly: Bool
    /// The most hosts of an MX or SRV answer planned (a hostile answer cannot make us look up
    /// thousands; Postfix tries a handful too).
    public var hostLimit: Int

    public init(
        service: ServiceProtocol, target: UpstreamTarget, policy: DANEPolicy = .require,
        connectAddress: SocketAddress? = nil, serverName: String? = nil, daneEENameChecks: Bool = false,
        reportOnly: Bool = false, hostLimit: Int = 10
    ) {
        self.service = service
        self.target = target
        self.policy = policy
        self.connectAddress = connectAddress
        self.serverName = serverName
        self.daneEENameChecks = daneEENameChecks
        self.reportOnly = reportOnly
        self.hostLimit = hostLimit
    }
}

/// One host of the plan: where to connect, its TLSA with the DNSSEC verdict, the TLS options
/// (SNI, reference identifiers, DANE records) and, when the policy refuses before any
/// connect, why.
public struct PlannedHost: Sendable {
    public var host: Name
    public var port: UInt16
    /// MX preference or SRV priority.
    public var preference: UInt16
    /// Every address in Happy Eyeballs order (RFC 8305 §4).
    public var addresses: [SocketAddress]
    /// The verdict on the host's A/AAAA answers; nil for an address literal.
    public var addressStatus: SecurityStatus?
    /// The TLSA lookup, when one was made.
    public var tlsa: HostTLSA?
    /// Why DANE cannot authenticate this host (nil: usable TLSA, a match is required).
    public var daneReason: DANEReason?
    public var daneDetail: String
    public var tlsOptions: TLSClientOptions
    /// Set when the policy refuses this host before connecting (DESIGN rules 4, 5, 7).
    public var refusal: UpstreamFailure?

    /// "host:port" as the service resolved it.
    public var hostAndPort: String { "\(host.hostName):\(port)" }
}

/// The asynchronous half of an upstream connection: the service's hosts, their addresses, TLSA
/// and TLS options, and the policy's decisions that need no connection. The loop-bound
/// ``UpstreamDialer`` carries it out.
public struct UpstreamPlan: Sendable {
    public var request: UpstreamRequest
    /// The next-hop domain (MX) or service domain (SRV); the host itself otherwise.
    public var serviceDomain: Name
    /// The MX or SRV RRset's verdict; nil for a fixed host.
    public var targetStatus: SecurityStatus?
    /// `mx-insecure`, `srv-insecure`, or the MX/SRV lookup's failure.
    public var targetReason: DANEReason?
    public var targetDetail: String
    /// In preference order.
    public var hosts: [PlannedHost]

    /// Why no host can be tried at all, or nil.
    public var refusal: UpstreamFailure? {
        if hosts.isEmpty { return UpstreamFailure(targetReason ?? .upstreamUnreachable, targetDetail) }
        if hosts.allSatisfy({ $0.refusal != nil }) { return hosts.first?.refusal }
        return nil
    }
}
