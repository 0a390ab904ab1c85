#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the cache reads "now", in milliseconds of a monotonic clock. Injected so tests can
/// move time forward instead of sleeping through TTLs.
public struct ResolverClock: Sendable {
    private let read: @Sendable () -> UInt64

    public init(_ nowMilliseconds: @escaping @Sendable () -> UInt64) {
        read = nowMilliseconds
    }

    @inline(__always)
    public func nowMilliseconds() -> UInt64 { read() }

    /// A monotonic clock: unaffected by changes to the wall clock, so TTLs cannot be stretched
    /// or cut by an NTP step. On Linux the coarse variant (a few milliseconds of resolution,
    /// several times cheaper to read), plenty for TTLs counted in seconds; the cache reads it
    /// on every lookup.
    public static let monotonic = ResolverClock {
        var spec = timespec()
        #if os(Linux)
        clock_gettime(CLOCK_MONOTONIC_COARSE, &spec)
        #else
        clock_gettime(CLOCK_MONOTONIC, &spec)
        #endif
        return UInt64(spec.tv_sec) &* 1000 &+ UInt64(spec.tv_nsec / 1_000_000)
    }
}
