import DNSWire

/// Why a zone could not be loaded. Tests compare ``code``; ``reason`` is for people (and the
/// server's log, where a zone that fails to reload keeps its old version).
public struct ZoneError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The zone file could not be read or parsed.
        case unreadable
        /// No SOA at the origin, or more than one (RFC 1035 §5.2).
        case badSOA
        /// The origin could not be found (no `:ORIGIN` and no SOA to take it from).
        case missingOrigin
        /// A record is of another class than the zone's.
        case badClass
        /// Two zones of a store have the same origin.
        case duplicateZone
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }
}
