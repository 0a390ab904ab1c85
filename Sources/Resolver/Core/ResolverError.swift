import DNSWire

/// Why a lookup failed. A failure is never an empty answer (DESIGN.md rule 4): callers that
/// get one must treat the lookup as a temporary failure, not as "no records".
public struct ResolverError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for programs; `reason` says it for people.
    public enum Code: String, Sendable, Equatable {
        /// No acceptable answer within the per-server timeouts or the overall time budget.
        case timeout
        /// Every server tried failed, for different reasons, or answered SERVFAIL/REFUSED/....
        case allServersFailed
        /// The UDP answer was truncated (TC) and TCP was off or failed.
        case truncatedWithoutTCP
        /// The only answers from the server were not DNS messages.
        case malformedResponse
        /// Sending or receiving failed (unreachable network, refused TCP connection, ...).
        case networkError
        /// A bad server address, resolv.conf line or option.
        case invalidConfiguration
        /// The question cannot be asked (e.g. its query would not encode).
        case invalidQuestion
        /// The resolver was closed before the lookup finished.
        case cancelled
    }

    public var code: Code
    /// A human explanation: what was tried and what went wrong.
    public var reason: String
    /// The RCODE of the last failing answer, when a server did answer (SERVFAIL, REFUSED, ...).
    public var rcode: RCode?

    public init(_ code: Code, _ reason: String, rcode: RCode? = nil) {
        self.code = code
        self.reason = reason
        self.rcode = rcode
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}
