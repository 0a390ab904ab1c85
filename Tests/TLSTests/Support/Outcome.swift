import Foundation
import TestSupport

/// A value produced on a loop thread and awaited by the test thread (polling-free wait on a
/// condition, bounded by a timeout so a broken peer fails the test instead of hanging it).
final class Outcome<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    private var result: Result<Value, any Error>?

    /// The first completion wins.
    func complete(_ outcome: Result<Value, any Error>) {
        condition.lock()
        defer { condition.unlock() }
        guard result == nil else { return }
        result = outcome
        condition.broadcast()
    }

    func succeed(_ value: Value) { complete(.success(value)) }
    func fail(_ error: any Error) { complete(.failure(error)) }

    func wait(timeout: TimeInterval = 10) throws -> Value {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while result == nil {
            if !condition.wait(until: deadline) { break }
        }
        guard let result else { throw TestSupportError(.timedOut, "no outcome within \(timeout) s") }
        return try result.get()
    }
}
