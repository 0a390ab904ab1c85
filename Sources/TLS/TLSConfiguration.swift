/// Settings shared by every session of one TLSContext.
public struct TLSConfiguration: Sendable {
    /// Which side of the handshake the sessions take.
    public enum Role: Sendable {
        case client
        case server
    }

    /// The lowest protocol version offered or accepted. TLS 1.2 is the floor (issue 2).
    public enum Version: Sendable, Comparable {
        case tls12
        case tls13
    }

    /// A certificate chain and its private key, from PEM files or PEM text. The chain is the leaf
    /// first, then its issuers.
    public enum Identity: Sendable {
        case files(certificateChain: String, privateKey: String)
        case pem(certificateChain: String, privateKey: String)
    }

    /// Where PKIX trust anchors come from (used by PKIX verification and by DANE usages 0 and 1).
    public enum TrustRoots: Sendable {
        /// The system store (OpenSSL's default paths).
        case system
        /// A PEM bundle file.
        case file(String)
        /// PEM text.
        case pem(String)
        /// No PKIX anchors: only DANE-TA(2) and DANE-EE(3) can authenticate.
        case none
    }

    public var role: Role
    public var identity: Identity?
    public var trustRoots: TrustRoots
    /// ALPN protocols in preference order (client: offered; server: accepted).
    public var alpnProtocols: [String]
    public var minimumVersion: Version
    /// nil: the newest OpenSSL supports.
    public var maximumVersion: Version?
    /// Resumable sessions kept per context (client), one per upstream key.
    public var sessionCacheCapacity: Int
    /// Context default for DANE_FLAG_NO_DANE_EE_NAMECHECKS (RFC 7671 §5.1; OpenSSL recommends it
    /// for SMTP and XMPP, where MX and SRV already let a domain pick any server). Sessions may
    /// override it in `DANEParameters`.
    public var skipDANEEENameChecks: Bool

    public init(
        role: Role, identity: Identity? = nil, trustRoots: TrustRoots = .none,
        alpnProtocols: [String] = [], minimumVersion: Version = .tls12, maximumVersion: Version? = nil,
        sessionCacheCapacity: Int = 1024, skipDANEEENameChecks: Bool = true
    ) {
        self.role = role
        self.identity = identity
        self.trustRoots = trustRoots
        self.alpnProtocols = alpnProtocols
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
        self.sessionCacheCapacity = sessionCacheCapacity
        self.skipDANEEENameChecks = skipDANEEENameChecks
    }

    /// A client that authenticates with DANE and, for PKIX, with `trustRoots`.
    public static func client(
        trustRoots: TrustRoots = .none, alpnProtocols: [String] = []
    ) -> TLSConfiguration {
        TLSConfiguration(role: .client, trustRoots: trustRoots, alpnProtocols: alpnProtocols)
    }

    /// A server presenting `identity`.
    public static func server(identity: Identity, alpnProtocols: [String] = []) -> TLSConfiguration {
        TLSConfiguration(role: .server, identity: identity, alpnProtocols: alpnProtocols)
    }
}

extension TLSConfiguration.Version {
    /// The OpenSSL protocol version constant.
    var openSSLValue: Int32 {
        switch self {
        case .tls12: return 0x0303  // TLS1_2_VERSION
        case .tls13: return 0x0304  // TLS1_3_VERSION
        }
    }
}
