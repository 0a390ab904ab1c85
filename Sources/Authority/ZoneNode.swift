import DNSWire

/// The data at one owner name of a zone: its RRsets by type and the RRSIGs over each of them
/// by the type they cover (RFC 4034 §3: signatures over different RRsets are separate sets).
///
/// A node without RRsets is an empty non-terminal (RFC 4592 §2.2.2): the name exists because
/// names below it do, so it answers NODATA, never NXDOMAIN, and it blocks wildcard synthesis.
struct ZoneNode: Sendable {
    /// The records of each RRset, every one with the set's TTL (RFC 2181 §5.2).
    var rrsets: [RRType: [Record]] = [:]
    /// RRSIG records at this name, by Type Covered.
    var signatures: [RRType: [Record]] = [:]

    var isEmptyNonTerminal: Bool { rrsets.isEmpty }

    func has(_ type: RRType) -> Bool { rrsets[type] != nil }
}
