import DNSWire

/// What the walker has learnt about a name between a trust anchor and the data, kept until
/// the TTL of the records it rests on runs out (never past an RRSIG expiration, RFC 4035
/// §5.3.3). A warm cache turns a whole chain into one dictionary lookup.
struct KeyCache {
    enum Entry {
        /// A zone whose DNSKEY set is authenticated.
        case secure(ValidatedKeySet, ChainLink)
        /// A delegation proven insecure: nothing at or below it can be secure.
        case insecure(ValidationReason, ChainLink)
        /// A name proven not to be a zone cut.
        case noZoneCut
    }

    private var entries: [Name: (entry: Entry, expires: UInt64)] = [:]
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The entry for `name` while it lasts. A key set comes back limited to the time it has
    /// left, so whatever is validated with it cannot outlive it (DESIGN rule 10).
    func lookup(_ name: Name, now: UInt64) -> Entry? {
        guard let found = entries[name], found.expires > now else { return nil }
        if case .secure(let keys, let link) = found.entry {
            let remaining = UInt32(clamping: found.expires - now)
            return .secure(keys.limited(to: remaining), link)
        }
        return found.entry
    }

    mutating func store(_ entry: Entry, for name: Name, ttl: UInt32, now: UInt64) {
        guard ttl > 0 else { return }
        if entries.count >= capacity {
            entries = entries.filter { $0.value.expires > now }
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        }
        entries[name] = (entry, now + UInt64(ttl))
    }

    mutating func removeAll() { entries.removeAll() }

    var count: Int { entries.count }
}
