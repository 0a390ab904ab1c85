import DNSWire

/// The validating core: walks DS → DNSKEY from the closest trust anchor down to the zone of
/// the data, caching authenticated key sets, and gives every response a verdict.
///
/// All network access goes through the injected ``DNSSECFetcher`` and all time through the
/// injected clock, so the same code validates live answers and fixed-date test vectors.
public actor DNSSECValidator {
    public let anchors: TrustAnchorStore
    public let configuration: ValidatorConfiguration
    let fetcher: any DNSSECFetcher
    let clock: @Sendable () -> UInt64
    var cache: KeyCache

    /// - Parameters:
    ///   - anchors: where every chain of trust starts.
    ///   - fetcher: answers the validator's questions (the answer's own, DS, DNSKEY).
    ///   - configuration: the limits on work per response and per lookup, and the key cache size.
    ///   - clock: seconds since 1970, read once per validation.
    public init(
        anchors: TrustAnchorStore, fetcher: any DNSSECFetcher, configuration: ValidatorConfiguration = .init(),
        clock: @escaping @Sendable () -> UInt64
    ) {
        self.anchors = anchors
        self.fetcher = fetcher
        self.configuration = configuration
        self.clock = clock
        self.cache = KeyCache(capacity: configuration.keyCacheCapacity)
    }

    /// Forgets every cached key set and zone cut.
    public func flushCache() { cache.removeAll() }

    /// The number of cached names (key sets, insecure cuts, non-cuts).
    public var cachedNameCount: Int { cache.count }

    /// The state of one validation: the clock reading and what the chain looked like.
    struct Context {
        var now: UInt64
        /// The work this lookup may still do.
        let budget: LookupBudget
        var chain: [ChainLink] = []
        var ttl: UInt32?
        var correctedRcode: RCode?
        /// The answer's RRsets as judged so far, in the order of the walk.
        var rrsets: [ValidatedRRset] = []

        var serialNow: UInt32 { SignatureTime.serial(now) }

        mutating func note(_ link: ChainLink) {
            if !chain.contains(link) { chain.append(link) }
        }

        mutating func limitTTL(_ value: UInt32) {
            ttl = min(ttl ?? value, value)
        }
    }

    /// How far the walk toward a name got.
    enum WalkOutcome {
        /// The deepest zone at or above the target with an authenticated key set.
        case secure(ValidatedKeySet)
        case insecure(ValidationReason)
        case bogus(ValidationReason)
        case indeterminate(ValidationReason)

        /// The walk's verdict as a status: what data judged by this walk inherits when the walk
        /// found no authenticated key set.
        var status: SecurityStatus {
            switch self {
            case .secure: .secure
            case .insecure(let reason): .insecure(reason)
            case .bogus(let reason): .bogus(reason)
            case .indeterminate(let reason): .indeterminate(reason)
            }
        }
    }
}
