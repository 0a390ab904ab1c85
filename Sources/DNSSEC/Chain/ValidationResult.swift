import DNSWire

/// The verdict on a whole response.
public struct ValidationResult: Sendable, CustomStringConvertible {
    public var status: SecurityStatus
    /// The zones walked, from the trust anchor down.
    public var chain: [ChainLink]
    /// The names of the answer: the query name, then each CNAME/DNAME target in turn.
    public var names: [Name]
    /// How long the validated data may be cached: min(TTL, RRSIG expiration − now) over every
    /// RRset the verdict rests on (RFC 4035 §5.3.3); nil when nothing was validated.
    public var ttl: UInt32?
    /// Set when the proof contradicts the response code: NXDOMAIN for a name an NSEC shows to
    /// be an empty non-terminal is a NODATA (`.noError`).
    public var correctedRcode: RCode?

    public init(status: SecurityStatus, chain: [ChainLink] = [], names: [Name] = [], ttl: UInt32? = nil) {
        self.status = status
        self.chain = chain
        self.names = names
        self.ttl = ttl
    }

    public var description: String {
        "\(status) chain [\(chain.map(\.description).joined(separator: " → "))]"
    }
}
