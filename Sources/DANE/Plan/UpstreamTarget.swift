/// Where a service's upstream is: a fixed host, the MX hosts of a mail domain (RFC 7672), or the
/// SRV targets of an XMPP domain (RFC 7673).
public enum UpstreamTarget: Sendable, Equatable, CustomStringConvertible {
    /// A host name or address literal at a port.
    case host(String, port: UInt16)
    /// The MX hosts of `domain`; `port` replaces 25 on each (tests, submission relays).
    case mx(domain: String, port: UInt16)
    /// The SRV targets of `_xmpp-client._tcp.<domain>`; `port`, when given, replaces each
    /// target's port.
    case srv(domain: String, port: UInt16?)

    /// The name the service was asked for: the host, or the mail or XMPP domain.
    public var name: String {
        switch self {
        case .host(let host, _): host
        case .mx(let domain, _), .srv(let domain, _): domain
        }
    }

    public var description: String {
        switch self {
        case .host(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .mx(let domain, let port): port == 25 ? "mx:\(domain)" : "mx:\(domain):\(port)"
        case .srv(let domain, let port): port.map { "srv:\(domain):\($0)" } ?? "srv:\(domain)"
        }
    }
}
