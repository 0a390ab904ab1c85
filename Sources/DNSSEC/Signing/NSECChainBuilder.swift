import DNSWire

/// Builds the NSEC chain of a zone (RFC 4034 §4, RFC 4035 §2.3): one NSEC per authoritative
/// owner name (delegation points included, glue and empty non-terminals not), in canonical
/// order, each naming the next and listing the types at its owner plus NSEC and RRSIG; the
/// last points back at the apex.
public enum NSECChainBuilder {
    /// `owners` are the authoritative names with the types they hold (without NSEC and RRSIG,
    /// which are added). `ttl` should be min(SOA TTL, SOA MINIMUM) (RFC 9077 §3).
    public static func build(
        origin: Name, owners: [(name: Name, types: Set<RRType>)], ttl: UInt32, rrClass: RRClass = .internet
    ) -> [Record] {
        let sorted = owners.sorted { $0.name < $1.name }
        var records: [Record] = []
        records.reserveCapacity(sorted.count)
        for (index, owner) in sorted.enumerated() {
            let next = index + 1 < sorted.count ? sorted[index + 1].name : origin
            var types = owner.types
            types.insert(.nsec)
            types.insert(.rrsig)
            records.append(
                Record(owner: owner.name, rrClass: rrClass, ttl: ttl, rdata: NSEC(nextName: next, types: TypeBitmap(types))))
        }
        return records
    }
}
