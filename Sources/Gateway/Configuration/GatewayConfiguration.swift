import DANE
import EventLoop

/// A whole gateway configuration: the global settings, then one ``ServiceConfiguration`` per
/// section of the INI file (DESIGN.md "Configuration", issue 11). Values only: reading the file
/// is ``GatewayConfigurationParser``'s job, running it the gateway's.
public struct GatewayConfiguration: Sendable, Equatable {
    public var global: GlobalSettings
    public var services: [ServiceConfiguration]

    public init(global: GlobalSettings = GlobalSettings(), services: [ServiceConfiguration] = []) {
        self.global = global
        self.services = services
    }
}

/// The keys before the first section.
public struct GlobalSettings: Sendable, Equatable {
    /// How DNSSEC answers are judged.
    public enum DNSSECMode: Sendable, Equatable {
        /// Validate in process from the trust anchors in this file (the default:
        /// `/usr/share/dns/root.key`, Debian's dns-root-data).
        case validate(trustAnchor: String)
        /// Believe the AD bit of a validating resolver on a loopback address (`dnssec = trust-ad`).
        case trustAD
    }

    /// Upstream DNS servers (`resolver = ADDR[:PORT]`, repeatable or comma-separated); empty means
    /// the servers of /etc/resolv.conf.
    public var resolvers: [SocketAddress]
    public var dnssec: DNSSECMode
    /// Where the JSON audit log is appended; nil: no audit log.
    public var auditLog: String?
    public var logLevel: LogLevel
    /// `workers = N`: event loops (threads) serving every service; nil: one per core.
    public var workers: Int?
    /// `drain-timeout`: how long SIGTERM/SIGINT waits for open connections before cutting them.
    public var drainTimeout: Duration
    /// `metrics = ADDR:PORT`: where Prometheus text is served at `/metrics` and health at
    /// `/healthz`; nil: no metrics endpoint.
    public var metrics: SocketAddress?

    public static let defaultTrustAnchor = "/usr/share/dns/root.key"
    public static let defaultDrainTimeout = Duration.seconds(30)
    /// The most `workers` a configuration may ask for.
    public static let maximumWorkers = 256

    public init(
        resolvers: [SocketAddress] = [], dnssec: DNSSECMode = .validate(trustAnchor: GlobalSettings.defaultTrustAnchor),
        auditLog: String? = nil, logLevel: LogLevel = .info, workers: Int? = nil,
        drainTimeout: Duration = GlobalSettings.defaultDrainTimeout, metrics: SocketAddress? = nil
    ) {
        self.resolvers = resolvers
        self.dnssec = dnssec
        self.auditLog = auditLog
        self.logLevel = logLevel
        self.workers = workers
        self.drainTimeout = drainTimeout
        self.metrics = metrics
    }
}

/// `log-level`: the names swift-log uses.
public enum LogLevel: String, Sendable, CaseIterable {
    case trace, debug, info, notice, warning, error, critical
}

/// One `[section]`: a local listener and the remote service its clients reach.
public struct ServiceConfiguration: Sendable, Equatable {
    /// The section name, used in logs, the audit log and metrics.
    public var name: String
    /// `accept = ADDR:PORT` (IPv4 or `[v6]:port`).
    public var accept: SocketAddress
    /// `connect = ...`: where the service is.
    public var connect: ConnectTarget
    /// `protocol = smtp | xmpp | irc | http | tls`.
    public var serviceProtocol: ServiceProtocol
    /// `dane = require | opportunistic | audit` (default `require`).
    public var dane: DANEPolicy
    /// `helo`: the name in our SMTP EHLO.
    public var helo: String
    /// `sni`: overrides the TLS server name the protocol would choose.
    public var sni: String?
    /// `dane-ee-namechecks`: check names on DANE-EE(3) matches too (default no, RFC 7671 §5.1).
    public var daneEENameChecks: Bool
    /// `allow`: client networks let in. Nil when absent: then only loopback clients are let in if
    /// `accept` is not a loopback address, so the gateway is never an open relay.
    public var allow: [AddressRange]?
    /// `max-connections` for this service.
    public var maxConnections: Int
    public var connectTimeout: Duration
    public var handshakeTimeout: Duration
    /// `idle-timeout`; nil: never.
    public var idleTimeout: Duration?

    public init(
        name: String, accept: SocketAddress, connect: ConnectTarget, serviceProtocol: ServiceProtocol,
        dane: DANEPolicy = .require, helo: String = "danegate.invalid", sni: String? = nil,
        daneEENameChecks: Bool = false, allow: [AddressRange]? = nil, maxConnections: Int = 1000,
        connectTimeout: Duration = .seconds(10), handshakeTimeout: Duration = .seconds(30),
        idleTimeout: Duration? = .seconds(300)
    ) {
        self.name = name
        self.accept = accept
        self.connect = connect
        self.serviceProtocol = serviceProtocol
        self.dane = dane
        self.helo = helo
        self.sni = sni
        self.daneEENameChecks = daneEENameChecks
        self.allow = allow
        self.maxConnections = maxConnections
        self.connectTimeout = connectTimeout
        self.handshakeTimeout = handshakeTimeout
        self.idleTimeout = idleTimeout
    }
}

/// `connect = ...`: a fixed host, the MX hosts of a mail domain, the SRV targets of an XMPP
/// domain, or the SRV targets of the domain the client names in its stream header.
public enum ConnectTarget: Sendable, Equatable {
    /// `HOST:PORT` (a name or an address literal).
    case host(String, port: UInt16)
    /// `mx:DOMAIN[:PORT]` (RFC 7672; port 25 by default).
    case mx(domain: String, port: UInt16)
    /// `srv:DOMAIN` (RFC 7673, `_xmpp-client._tcp.DOMAIN`).
    case srv(domain: String)
    /// `srv:*`: the domain of the client's opening stream header (`to=`).
    case srvFromClient
}
