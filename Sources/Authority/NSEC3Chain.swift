import DNSSEC
import DNSWire

/// The NSEC3 records of a zone sorted by hashed owner name (RFC 5155 §7.2), with the
/// parameters names are hashed with, to find the NSEC3 that matches or covers a hash by binary
/// search.
struct NSEC3Chain: Sendable {
    let hashAlgorithm: UInt8
    let iterations: UInt16
    let salt: [UInt8]
    /// Hashed owners (the decoded first label) in increasing order, with the owner name.
    let entries: [(hash: [UInt8], owner: Name)]

    /// The chain of the zone, or nil when it has no NSEC3 records. The parameters come from
    /// the NSEC3PARAM at the apex (RFC 5155 §4), else from the first NSEC3 record.
    init?(origin: Name, nodes: [Name: ZoneNode]) {
        var entries: [(hash: [UInt8], owner: Name)] = []
        var firstRecord: NSEC3?
        for (name, node) in nodes {
            guard let records = node.rrsets[.nsec3], let record = records.first?.rdata as? NSEC3 else { continue }
            guard name.parent == origin, let label = name.labels.first,
                let hash = BinaryText.decodeBase32Hex(label), !hash.isEmpty
            else { continue }
            if firstRecord == nil { firstRecord = record }
            entries.append((hash, name))
        }
        guard let firstRecord else { return nil }
        if let parameters = nodes[origin]?.rrsets[.nsec3param]?.compactMap({ $0.rdata as? NSEC3PARAM })
            .first(where: { $0.flags == 0 })
        {
            hashAlgorithm = parameters.hashAlgorithm
            iterations = parameters.iterations
            salt = parameters.salt
        } else {
            hashAlgorithm = firstRecord.hashAlgorithm
            iterations = firstRecord.iterations
            salt = firstRecord.salt
        }
        self.entries = entries.sorted { $0.hash.lexicographicallyPrecedes($1.hash) }
    }

    /// The hash of `name` with the zone's parameters; nil for an unknown hash algorithm.
    func hash(_ name: Name) -> [UInt8]? {
        NSEC3Hash.hash(name, algorithm: hashAlgorithm, salt: salt, iterations: iterations)
    }

    /// The owner of the NSEC3 whose hashed owner is `name`'s hash.
    func matching(_ name: Name) -> Name? {
        guard let hash = hash(name) else { return nil }
        let index = firstIndex(notBefore: hash)
        guard index < entries.count, entries[index].hash == hash else { return nil }
        return entries[index].owner
    }

    /// The owner of the NSEC3 covering `name`'s hash: the greatest hashed owner before it,
    /// wrapping around to the last (RFC 5155 §3.1.7). Nil if the hash has an exact match.
    func covering(_ name: Name) -> Name? {
        guard let hash = hash(name), !entries.isEmpty else { return nil }
        let index = firstIndex(notBefore: hash)
        if index < entries.count, entries[index].hash == hash { return nil }
        return index == 0 ? entries[entries.count - 1].owner : entries[index - 1].owner
    }

    private func firstIndex(notBefore hash: [UInt8]) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].hash.lexicographicallyPrecedes(hash) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
