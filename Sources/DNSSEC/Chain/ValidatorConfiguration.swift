import DNSWire

/// Settings of the validator.
public struct ValidatorConfiguration: Sendable {
    /// NSEC3 records with more iterations make a denial insecure (RFC 9276 §3.2 suggests 150
    /// at most; §3.1 says 0 for signers). Configurable for tests and policy.
    public var nsec3IterationLimit: UInt16
    /// The most CNAME/DNAME links followed in one answer.
    public var maxChainLinks: Int
    /// The most key sets kept in the cache; when full, expired entries go first.
    public var keyCacheCapacity: Int
    /// When true (the default, as issue 5 asks: no algorithm downgrade), every RRset needs a
    /// valid signature of each supported algorithm its zone's DS set (or trust anchor) names:
    /// a stripped stronger-algorithm signature makes it bogus (Unbound's
    /// harden-algo-downgrade). When false, any single valid signature by an authenticated key
    /// will do, as RFC 6840 §5.11 lets a validator do (and Unbound does by default).
    public var requireEveryDSAlgorithm: Bool

    public init(
        nsec3IterationLimit: UInt16 = 150, maxChainLinks: Int = 16, keyCacheCapacity: Int = 4096,
        requireEveryDSAlgorithm: Bool = true
    ) {
        self.nsec3IterationLimit = nsec3IterationLimit
        self.maxChainLinks = maxChainLinks
        self.keyCacheCapacity = keyCacheCapacity
        self.requireEveryDSAlgorithm = requireEveryDSAlgorithm
    }

    /// Names treated as unsigned delegations whatever their parents say (Unbound's
    /// domain-insecure): data at or below one is insecure, unless a trust anchor at or below
    /// that name covers it.
    public var insecureDomains: [Name] = []
}

extension ValidatorConfiguration {
    /// The deepest configured insecure domain at or above `name`.
    func insecureDomain(above name: Name) -> Name? {
        insecureDomains.filter { name.isSubdomain(of: $0) }.max { $0.labelCount < $1.labelCount }
    }
}
