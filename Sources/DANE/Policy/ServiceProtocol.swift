/// The protocols DANE connections speak upstream (DESIGN "Protocols").
public enum ServiceProtocol: String, Sendable, CaseIterable, Codable {
    case smtp
    case xmpp
    case irc
    case https
    case tls

    /// Accepts "http" as well as "https".
    public init?(name: String) {
        if name.lowercased() == "http" { self = .https; return }
        self.init(rawValue: name.lowercased())
    }

    /// The port the protocol uses when none is given; nil for `tls`, which needs one.
    public var defaultPort: UInt16? {
        switch self {
        case .smtp: 25
        case .xmpp: 5222
        case .irc: 6697  // RFC 7194: IRC over TLS
        case .https: 443
        case .tls: nil
        }
    }

    /// SMTP and XMPP ignore PKIX-TA(0) and PKIX-EE(1) (RFC 7672 §3.1.3; RFC 7673 §3 by
    /// reference; DESIGN rule 8): MX and SRV already let a domain name any server.
    public var ignoresPKIXUsages: Bool {
        self == .smtp || self == .xmpp
    }

    /// How TLS starts: in-band upgrade or directly after connecting.
    public var startTLS: StartTLSKind {
        switch self {
        case .smtp: .smtp
        case .xmpp: .xmpp
        case .irc, .https, .tls: .direct
        }
    }

    /// ALPN to offer (http/1.1 for HTTPS, DESIGN "Protocols").
    public var alpnProtocols: [String] {
        self == .https ? ["http/1.1"] : []
    }
}

/// The in-band upgrade before the TLS handshake.
public enum StartTLSKind: String, Sendable {
    /// TLS from the first byte.
    case direct
    /// RFC 3207 STARTTLS after EHLO.
    case smtp
    /// RFC 6120 §5 `<starttls/>` after the stream features.
    case xmpp
}
