import DNSSEC
import DNSWire
import EventLoop

/// The `async` face of the resolver for tools and tests: owns a thread running an event loop
/// with one `StubResolver`, and hops each call onto it.
public final class AsyncResolver: Sendable {
    private let thread: EventLoopThread
    /// Touched only on `thread.loop`.
    private let resolver: StubResolver

    public init(configuration: ResolverConfiguration, cache: ResolverCache = ResolverCache()) throws(ResolverError) {
        do {
            thread = try EventLoopThread()
        } catch {
            throw ResolverError(.networkError, "cannot start the resolver's event loop: \(error)")
        }
        resolver = StubResolver(loop: thread.loop, configuration: configuration, cache: cache)
    }

    /// A resolver configured from resolv.conf (by default /etc/resolv.conf).
    public convenience init(resolvConfPath: String = ResolvConf.defaultPath) throws(ResolverError) {
        try self.init(configuration: ResolverConfiguration(resolvConf: ResolvConf.load(path: resolvConfPath)))
    }

    public var configuration: ResolverConfiguration { resolver.configuration }
    public var cache: ResolverCache { resolver.cache }

    public func resolve(
        _ name: Name, _ type: RRType, options: ResolveOptions = ResolveOptions()
    ) async throws(ResolverError) -> ResolverAnswer {
        let resolver = self.resolver
        let result: Result<ResolverAnswer, ResolverError> = await withCheckedContinuation { continuation in
            let accepted = resolver.loop.execute {
                resolver.resolve(name, type, options: options) { continuation.resume(returning: $0) }
            }
            if !accepted {
                continuation.resume(returning: .failure(ResolverError(.cancelled, "the resolver is shut down")))
            }
        }
        return try result.get()
    }

    /// The resolver's counters.
    public func statistics() async -> ResolverStatistics {
        let resolver = self.resolver
        return await withCheckedContinuation { continuation in
            let accepted = resolver.loop.execute { continuation.resume(returning: resolver.statistics) }
            if !accepted { continuation.resume(returning: ResolverStatistics()) }
        }
    }

    /// Fails the lookups in flight with `.cancelled`, stops the loop and joins its thread.
    /// Idempotent; also done when the resolver is released.
    public func shutdown() {
        let resolver = self.resolver
        resolver.loop.execute { resolver.close() }
        if resolver.loop.inLoopThread {
            // Released from inside its own loop: the thread cannot join itself; stopping is enough.
            resolver.loop.stop()
        } else {
            thread.stopAndJoin()
        }
    }

    deinit {
        shutdown()
    }
}

/// The validator's view (DNSSEC's `DNSSECFetcher`): each fetch asks with DO and CD set, so the
/// validator sees the whole response, bogus or not (RFC 4035 §3.2.2).
extension AsyncResolver: DNSSECFetcher {
    public func fetch(_ name: Name, _ type: RRType) async -> FetchResult {
        do {
            return .response(try await resolve(name, type, options: .validatorFetch).message)
        } catch {
            return .failure(error.description)
        }
    }
}
