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
    /// The most signature verifications for one response (the answer, or one DS or DNSKEY
    /// response of the chain walk) and for one whole lookup. Beyond them the lookup is bogus
    /// (KeyTrap, CVE-2023-50387). Every RRset also has its own cap of
    /// ``RRsetVerifier/maxSignatureChecks`` (8, Unbound's MAX_VALIDATE_RRSIGS); 16 per
    /// response is BIND's max-validations-per-fetch. An honest cold lookup through three zones
    /// needs about ten.
    public var signatureChecksPerResponse: Int
    public var signatureChecksPerLookup: Int
    /// The most NSEC3 hash computations for one response and for one lookup (CVE-2023-50868).
    /// An honest closest-encloser proof needs about one per label below the zone, plus one.
    public var nsec3HashesPerResponse: Int
    public var nsec3HashesPerLookup: Int

    public init(
        nsec3IterationLimit: UInt16 = 150, maxChainLinks: Int = 16, keyCacheCapacity: Int = 4096,
        requireEveryDSAlgorithm: Bool = true, signatureChecksPerResponse: Int = 16, signatureChecksPerLookup: Int = 64,
        nsec3HashesPerResponse: Int = 64, nsec3HashesPerLookup: Int = 256
    ) {
        self.nsec3IterationLimit = nsec3IterationLimit
        self.maxChainLinks = maxChainLinks
        self.keyCacheCapacity = keyCacheCapacity
        self.requireEveryDSAlgorithm = requireEveryDSAlgorithm
        self.signatureChecksPerResponse = signatureChecksPerResponse
        self.signatureChecksPerLookup = signatureChecksPerLookup
        self.nsec3HashesPerResponse = nsec3HashesPerResponse
        self.nsec3HashesPerLookup = nsec3HashesPerLookup
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
