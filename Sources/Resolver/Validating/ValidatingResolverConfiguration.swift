import DNSSEC

/// Settings of a ``ValidatingResolver``.
public struct ValidatingResolverConfiguration: Sendable {
    /// Settings of the DNSSEC validator (NSEC3 iteration limit, CNAME links, ...).
    public var validator: ValidatorConfiguration
    /// The most validated answers kept.
    public var answerCacheCapacity: Int
    /// No validated answer lives longer than this, whatever its TTL.
    public var maxTTL: UInt32
    /// How long a bogus verdict is remembered. Short and fixed: long enough that a flood of
    /// lookups for broken data does not re-walk the chain each time (RFC 4035 §4.7 lets a
    /// resolver cache bogus data, RFC 9520 §3 asks for failures to be cached), short enough that
    /// a repaired zone is believed soon. 30 seconds.
    public var bogusLifetime: UInt32
    /// How long a failed lookup (timeout, SERVFAIL) is remembered: RFC 9520 §3.2 asks for at
    /// least 1 second, so a dead upstream is not hammered; 5 seconds.
    public var failureLifetime: UInt32
    /// Ask for the DS and DNSKEY sets of a cold chain in parallel with the data (see
    /// `ChainPrefetcher`), so a cold lookup costs about one round trip rather than one per zone.
    /// Off by default: on loopback (scripts/bench-dnssec) it measured slightly slower, the extra
    /// questions costing more than the round trips they overlap; it is meant for upstreams with
    /// real round-trip times, where it has not been measured yet.
    public var prefetchChain: Bool

    public init(
        validator: ValidatorConfiguration = .init(), answerCacheCapacity: Int = 10_000, maxTTL: UInt32 = 86_400,
        bogusLifetime: UInt32 = 30, failureLifetime: UInt32 = 5, prefetchChain: Bool = false
    ) {
        self.validator = validator
        self.answerCacheCapacity = answerCacheCapacity
        self.maxTTL = maxTTL
        self.bogusLifetime = bogusLifetime
        self.failureLifetime = failureLifetime
        self.prefetchChain = prefetchChain
    }
}
