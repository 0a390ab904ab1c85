import DNSSEC
import DNSWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The gateway's default trust mode: every answer is validated in-process from a trust anchor
/// (RFC 4035 §5), and no resolver's AD bit is believed. Lookups go to the upstream resolver with
/// DO and CD set (RFC 4035 §3.2.2), so a validating upstream hands over bogus data for us to
/// judge rather than a SERVFAIL that hides why; or, with an ``IteratingFetcher``, straight to
/// the authoritative servers from root hints.
///
/// Validated answers are cached by (name, type) until min(TTL, RRSIG expiration) (DESIGN.md
/// rule 10): a warm lookup is one dictionary probe. Bogus verdicts are kept for
/// ``ValidatingResolverConfiguration/bogusLifetime`` and failures for
/// ``ValidatingResolverConfiguration/failureLifetime`` only.
public final class ValidatingResolver: ValidatedLookup {
    /// Where questions go: a recursive resolver through the stub resolver (with its own cache
    /// of raw responses), or the authoritative servers through an ``IteratingFetcher``.
    enum Upstream: Sendable {
        case recursive(AsyncResolver)
        case iterating(IteratingFetcher)
    }

    private let upstream: Upstream
    /// The validator, with its cache of authenticated key sets and zone cuts.
    public let validator: DNSSECValidator
    public let configuration: ValidatingResolverConfiguration
    /// Where every chain starts.
    public let anchors: TrustAnchorStore
    private let answers: ValidatedAnswerCache
    private let prefetcher: ChainPrefetcher

    /// - Parameters:
    ///   - resolver: the upstream path; it becomes the validator's fetcher.
    ///   - anchors: where every chain starts.
    ///   - configuration: the validator's limits and the answer cache's size and lifetimes.
    ///   - clock: the monotonic clock of the answer cache.
    ///   - wallClock: seconds since 1970, for RRSIG validity windows.
    public convenience init(
        resolver: AsyncResolver, anchors: TrustAnchorStore, configuration: ValidatingResolverConfiguration = .init(),
        clock: ResolverClock = .monotonic, wallClock: @escaping @Sendable () -> UInt64 = ValidatingResolver.systemTime
    ) {
        self.init(upstream: .recursive(resolver), anchors: anchors, configuration: configuration, clock: clock, wallClock: wallClock)
    }

    /// A validating resolver that iterates from root hints itself (no recursive resolver).
    public convenience init(
        iterating fetcher: IteratingFetcher, anchors: TrustAnchorStore, configuration: ValidatingResolverConfiguration = .init(),
        clock: ResolverClock = .monotonic, wallClock: @escaping @Sendable () -> UInt64 = ValidatingResolver.systemTime
    ) {
        self.init(upstream: .iterating(fetcher), anchors: anchors, configuration: configuration, clock: clock, wallClock: wallClock)
    }

    init(
        upstream: Upstream, anchors: TrustAnchorStore, configuration: ValidatingResolverConfiguration,
        clock: ResolverClock, wallClock: @escaping @Sendable () -> UInt64
    ) {
        self.upstream = upstream
        self.configuration = configuration
        self.anchors = anchors
        let fetcher: any DNSSECFetcher
        switch upstream {
        case .recursive(let resolver): fetcher = resolver
        case .iterating(let iterating): fetcher = iterating
        }
        self.validator = DNSSECValidator(
            anchors: anchors, fetcher: fetcher, configuration: configuration.validator, clock: wallClock)
        self.answers = ValidatedAnswerCache(capacity: configuration.answerCacheCapacity, clock: clock)
        self.prefetcher = ChainPrefetcher(clock: clock)
    }

    /// A validating resolver over the upstream servers of `resolverConfiguration`, with the
    /// trust anchors of `trustAnchorPath` (by default Debian's root.key).
    public convenience init(
        resolverConfiguration: ResolverConfiguration, trustAnchorPath: String = TrustAnchorFile.defaultPath,
        configuration: ValidatingResolverConfiguration = .init()
    ) throws(ResolverError) {
        let anchors = try TrustAnchorFile.load(path: trustAnchorPath)
        let resolver = try AsyncResolver(configuration: resolverConfiguration)
        self.init(resolver: resolver, anchors: anchors, configuration: configuration)
    }

    /// Seconds since 1970 from the system clock.
    public static let systemTime: @Sendable () -> UInt64 = { UInt64(max(0, time(nil))) }

    /// The records of `name`/`type` with their verdict, from the cache when it holds a live one.
    public func resolve(_ name: Name, _ type: RRType) async -> ValidatedAnswer {
        let key = ValidatedAnswerCache.Key(name: name, type: type)
        if let cached = answers.lookup(key) { return cached }
        let question = Question(name: name, type: type)
        if configuration.prefetchChain {
            for (zoneName, zoneType) in prefetcher.questions(for: name, anchors: anchors) {
                Task { [upstream] in _ = await Self.fetch(zoneName, zoneType, from: upstream) }
            }
        }
        let message: Message
        switch await Self.fetch(name, type, from: upstream) {
        case .failure(let failed):
            // DESIGN.md rule 4: a failed lookup is indeterminate, never "no records".
            return remember(ValidatedAnswer.failure(question, rcode: failed.rcode, reason: failed.reason),
                            key: key, seconds: configuration.failureLifetime)
        case .success(let received):
            message = received
        }
        let result = await validator.validate(message, for: question)
        // Only the RRsets the validator judged are handed out; for a bogus answer there are
        // none (RFC 4035 §4.3).
        let validated = ValidatedAnswer(
            question: question, rcode: result.rcode, rrsets: result.rrsets, status: result.status, chain: result.chain,
            names: result.names, message: message)
        if !result.status.isBogus {
            // Key sets are cached for their own TTLs; an hour bounds this hint.
            prefetcher.learn(result.chain, seconds: min(result.ttl ?? 300, 3600))
        }
        limitRawResponse(name, type, by: result)
        return remember(validated, key: key, seconds: lifetime(of: result, message: message))
    }

    /// Forgets every validated answer, key set and cached response.
    public func flushCaches() async {
        answers.removeAll()
        prefetcher.removeAll()
        await validator.flushCache()
        switch upstream {
        case .recursive(let resolver): resolver.cache.removeAll()
        case .iterating(let fetcher): fetcher.flush()
        }
    }

    /// The number of validated answers held.
    public var cachedAnswerCount: Int { answers.count }

    /// Stops the upstream's event loop.
    public func shutdown() {
        switch upstream {
        case .recursive(let resolver): resolver.shutdown()
        case .iterating(let fetcher): fetcher.shutdown()
        }
    }

    struct FetchFailure: Error {
        var rcode: RCode?
        var reason: ValidationReason
    }

    /// One question with DO and CD set, to whichever upstream this resolver has.
    static func fetch(_ name: Name, _ type: RRType, from upstream: Upstream) async -> Result<Message, FetchFailure> {
        switch upstream {
        case .recursive(let resolver):
            do {
                return .success(try await resolver.resolve(name, type, options: .validatorFetch).message)
            } catch {
                return .failure(FetchFailure(rcode: error.rcode, reason: ValidationReason(infoCode(for: error), error.description)))
            }
        case .iterating(let fetcher):
            switch await fetcher.fetch(name, type) {
            case .response(let message): return .success(message)
            case .failure(let text): return .failure(FetchFailure(rcode: nil, reason: ValidationReason(.networkError, text)))
            }
        }
    }

    // MARK: Lifetimes

    /// How long a verdict may be reused: min(TTL, RRSIG expiration − now) for validated data
    /// (the validator's `ttl`, already bounded by every RRset it rests on), the response's own
    /// lifetime for insecure data, short fixed times for bogus and indeterminate verdicts.
    private func lifetime(of result: ValidationResult, message: Message) -> UInt32 {
        let responseLifetime = CacheLifetime.seconds(for: message) ?? 0
        let seconds: UInt32
        switch result.status {
        case .secure, .insecure:
            seconds = min(responseLifetime, result.ttl ?? responseLifetime)
        case .bogus:
            seconds = configuration.bogusLifetime
        case .indeterminate:
            seconds = configuration.failureLifetime
        }
        return min(seconds, configuration.maxTTL)
    }

    /// The stub resolver keeps the raw response for its own TTL; the verdict decides how long
    /// it may stay (issue 9): a response that failed validation is dropped at once, with the DS
    /// and DNSKEY responses of every zone above its names, so a forged answer never outlives one
    /// validation (the verdict itself is kept for ``bogusLifetime``),
    /// and a validated one lasts no longer than its signatures (DESIGN.md rule 10).
    private func limitRawResponse(_ name: Name, _ type: RRType, by result: ValidationResult) {
        guard case .recursive(let resolver) = upstream else { return }
        let key = CacheKey(name: name, type: type, options: .validatorFetch)
        switch result.status {
        case .bogus, .indeterminate:
            resolver.cache.remove(key)
            // The forgery may sit in a DS or DNSKEY response the chain walk fetched: none of
            // those on the way to the names of this answer outlives the failed validation either.
            var names = Set<Name>()
            for answerName in result.names + [name] {
                var cursor: Name? = answerName
                while let current = cursor, names.insert(current).inserted {
                    cursor = current.isRoot ? nil : current.parent
                }
            }
            for zone in names {
                resolver.cache.remove(CacheKey(name: zone, type: .ds, options: .validatorFetch))
                resolver.cache.remove(CacheKey(name: zone, type: .dnskey, options: .validatorFetch))
            }
        case .secure, .insecure:
            if let ttl = result.ttl { resolver.cache.limitLifetime(of: key, toSeconds: ttl) }
        }
    }

    private func remember(_ answer: ValidatedAnswer, key: ValidatedAnswerCache.Key, seconds: UInt32) -> ValidatedAnswer {
        var answer = answer
        answer.remainingTTL = seconds > 0 ? seconds : nil
        answers.store(answer, for: key, seconds: seconds)
        return answer
    }

    /// The RFC 8914 code for a failed lookup.
    static func infoCode(for error: ResolverError) -> ExtendedDNSError.InfoCode {
        switch error.code {
        case .timeout, .networkError, .truncatedWithoutTCP: .networkError
        case .allServersFailed: .noReachableAuthority
        case .malformedResponse: .invalidData
        case .invalidConfiguration, .invalidQuestion, .cancelled: .other
        }
    }
}
