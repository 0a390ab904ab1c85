/// Why a zone could not be signed, or a key not read. Tests compare ``code``.
public struct ZoneSigningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for programs.
    public enum Code: Sendable, Equatable {
        /// No keys, or a key that cannot sign (algorithm, file format).
        case badKey
        /// No SOA at the origin, records outside the zone, or data that cannot be encoded.
        case badZone
        /// The NSEC3 parameters are out of range (RFC 5155 §3.1.3, RFC 9276).
        case badParameters
        /// The crypto library failed to make a signature.
        case signingFailed
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}
