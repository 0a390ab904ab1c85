import DNSWire

/// One RRset of an answer with the validator's verdict on it: the only form in which records
/// leave the DNSSEC layer for code that will trust them (DESIGN.md rule 12).
///
/// Trust is a type (hickory-dns's `Proven<T>`): only this module makes a `ValidatedRRset`, so a
/// consumer that takes one cannot be handed records nobody judged, and the records come out only
/// together with their status (``data``) or only when secure (``secureRecords()``).
public struct ValidatedRRset: Sendable, CustomStringConvertible {
    public let owner: Name
    public let type: RRType
    /// The TTL of the set as received (the validator's own lifetime is ``ValidationResult/ttl``).
    public let ttl: UInt32
    /// This RRset's verdict.
    public let status: SecurityStatus
    /// True for the CNAME a DNAME synthesizes (RFC 6672 §2.3, §3.2): its target is the one the
    /// validator computed from the DNAME, not whatever CNAME the response carried.
    public let isSynthesized: Bool
    private let rdatas: [any RDATA]

    init(owner: Name, type: RRType, ttl: UInt32, rdatas: [any RDATA], status: SecurityStatus, isSynthesized: Bool = false) {
        self.owner = owner
        self.type = type
        self.ttl = ttl
        self.rdatas = rdatas
        self.status = status
        self.isSynthesized = isSynthesized
    }

    init(_ set: SignedRRset, status: SecurityStatus) {
        self.init(owner: set.owner, type: set.type, ttl: set.rrset.ttl, rdatas: set.rrset.rdatas, status: status)
    }

    /// The records, always together with their status.
    public var data: (status: SecurityStatus, rdatas: [any RDATA]) { (status, rdatas) }

    /// The records when the set is secure; nil otherwise (`require(.secure)`).
    public func secureRecords() -> [any RDATA]? { status.isSecure ? rdatas : nil }

    /// The records as `Record`s (owner, TTL, data), with their status.
    public var records: (status: SecurityStatus, records: [Record]) {
        (status, rdatas.map { Record(owner: owner, ttl: ttl, rdata: $0) })
    }

    public var description: String { "\(owner.presentation) \(type) (\(rdatas.count)): \(status.name)" }
}
