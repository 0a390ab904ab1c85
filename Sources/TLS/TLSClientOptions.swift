/// Per-connection settings of a client session.
public struct TLSClientOptions: Sendable, Hashable {
    /// The SNI host name sent in the ClientHello (RFC 6066 §3). nil with DANE: OpenSSL sends the
    /// TLSA base domain. For XMPP this is the service domain (RFC 7673), not the SRV target.
    public var serverName: String?
    /// Names the peer certificate must match (PKIX, and DANE-TA(2) per RFC 7671 §5.2 and
    /// RFC 7672 §3.2.3). With DANE the base domain is always the first; these are added to it.
    /// For PKIX an empty list means `serverName`; enforcing PKIX with neither is refused.
    public var referenceIdentifiers: [String]
    /// DANE authentication; nil for PKIX with the context's trust roots.
    public var dane: DANEParameters?
    public var enforcement: TLSEnforcement
    /// The upstream key for session resumption, e.g. "mx.example:25"; nil disables resumption.
    public var resumptionKey: String?

    public init(
        serverName: String? = nil, referenceIdentifiers: [String] = [], dane: DANEParameters? = nil,
        enforcement: TLSEnforcement = .enforce, resumptionKey: String? = nil
    ) {
        self.serverName = serverName
        self.referenceIdentifiers = referenceIdentifiers
        self.dane = dane
        self.enforcement = enforcement
        self.resumptionKey = resumptionKey
    }

    /// The resumption cache key: the upstream plus everything that decided how the cached session
    /// was authenticated, so a session is only resumed under the same policy and TLSA records.
    var sessionCacheKey: String? {
        guard let resumptionKey else { return nil }
        var parts = [resumptionKey, "sni=\(serverName ?? "")", "ids=\(referenceIdentifiers.joined(separator: ","))"]
        if let dane {
            parts.append("base=\(dane.baseDomain)")
            parts.append("ee-names=\(dane.skipDANEEENameChecks.map { $0 ? "skip" : "check" } ?? "context")")
            parts.append("tlsa=" + dane.records.map(\.description).sorted().joined(separator: ","))
        }
        parts.append(enforcement == .enforce ? "enforce" : "report")
        return parts.joined(separator: "|")
    }
}
