import Foundation

/// Why a test helper could not do what it was asked. The message names the Debian package
/// when a program is missing, so a failing test says how to fix the machine (scripts/setup).
public struct TestSupportError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case programMissing
        case launchFailed
        case commandFailed
        case timedOut
        case systemCall
        case notFound
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}
