import DNSWire
import EventLoop
import Foundation
@testable import Resolver

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var milliseconds: UInt64 = 1_000_000

    func advance(seconds: UInt64) {
        lock.lock()
        milliseconds += seconds * 1000
        lock.unlock()
    }

    var resolverClock: ResolverClock {
        ResolverClock { [self] in
            lock.lock()
            defer { lock.unlock() }
            return milliseconds
        }
    }
}

/// A configuration for test servers. Tests that wait for a timeout pass a short one; the
/// default is long enough that a loaded machine does not turn a good answer into a timeout.
func testConfiguration(
    _ servers: [SocketAddress], perServerTimeout: Duration = .seconds(2), attempts: Int = 1
) throws -> ResolverConfiguration {
    var configuration = try ResolverConfiguration(servers: servers)
    configuration.perServerTimeout = perServerTimeout
    configuration.attempts = attempts
    return configuration
}

/// Runs `body` on the loop's thread and waits for the value it passes to `done`.
func onLoop<Value: Sendable>(
    _ loop: EventLoop, _ body: @escaping @Sendable (_ done: @escaping @Sendable (Value) -> Void) -> Void
) async -> Value {
    await withCheckedContinuation { continuation in
        loop.execute {
            body { continuation.resume(returning: $0) }
        }
    }
}

/// Counts calls across threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}
