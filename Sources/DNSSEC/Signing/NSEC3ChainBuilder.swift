import DNSWire

/// The parameters of an NSEC3 chain (RFC 5155 §3.1; RFC 9276 recommends no salt and no
/// extra iterations).
public struct NSEC3Parameters: Sendable, Equatable {
    public var salt: [UInt8]
    public var iterations: UInt16
    /// Opt-Out (RFC 5155 §6): insecure delegations get no NSEC3 of their own.
    public var optOut: Bool

    public init(salt: [UInt8] = [], iterations: UInt16 = 0, optOut: Bool = false) {
        self.salt = salt
        self.iterations = iterations
        self.optOut = optOut
    }
}

/// Builds the NSEC3 chain of a zone (RFC 5155 §7.1): one NSEC3 per authoritative name and per
/// empty non-terminal, owned by the base32hex hash of the name under the apex, linked in hash
/// order, with an NSEC3PARAM at the apex. With Opt-Out, insecure delegations (and empty
/// non-terminals that only lead to them) are left out and every NSEC3 has the Opt-Out flag.
public enum NSEC3ChainBuilder {
    /// One name of the zone for the chain.
    public struct Owner: Sendable {
        public var name: Name
        /// The types of the bitmap, exactly (the caller adds RRSIG where the name is signed).
        public var types: Set<RRType>
        /// A delegation without DS: skipped under Opt-Out.
        public var isInsecureDelegation: Bool

        public init(name: Name, types: Set<RRType>, isInsecureDelegation: Bool = false) {
            self.name = name
            self.types = types
            self.isInsecureDelegation = isInsecureDelegation
        }
    }

    /// The NSEC3 records (hash algorithm 1, SHA-1). Empty non-terminals between the owners and
    /// the apex are added with empty bitmaps.
    public static func build(
        origin: Name, owners: [Owner], parameters: NSEC3Parameters, ttl: UInt32, rrClass: RRClass = .internet
    ) throws(ZoneSigningError) -> [Record] {
        // RFC 5155 §10.3 caps iterations at 2,500 for the largest keys; RFC 9276 asks for 0.
        guard parameters.iterations <= 2500 else {
            throw ZoneSigningError(.badParameters, "NSEC3 iterations \(parameters.iterations) are over 2500")
        }
        guard parameters.salt.count <= 255 else {
            throw ZoneSigningError(.badParameters, "NSEC3 salt of \(parameters.salt.count) octets is over 255")
        }
        var types: [Name: Set<RRType>] = [:]
        for owner in owners where !(parameters.optOut && owner.isInsecureDelegation) {
            types[owner.name, default: []].formUnion(owner.types)
        }
        // Empty non-terminals (RFC 5155 §7.1: "each empty non-terminal MUST have a
        // corresponding NSEC3 RR", unless only opt-out delegations lie below it).
        for name in Array(types.keys) {
            var ancestor = name.parent
            while let current = ancestor, current.isProperSubdomain(of: origin) {
                if types[current] == nil { types[current] = [] }
                ancestor = current.parent
            }
        }
        var hashed: [(hash: [UInt8], types: Set<RRType>)] = []
        hashed.reserveCapacity(types.count)
        for (name, set) in types {
            guard let hash = NSEC3Hash.hash(name, salt: parameters.salt, iterations: parameters.iterations) else {
                throw ZoneSigningError(.badParameters, "NSEC3 hash algorithm 1 is unavailable")
            }
            hashed.append((hash, set))
        }
        hashed.sort { $0.hash.lexicographicallyPrecedes($1.hash) }
        let flags: UInt8 = parameters.optOut ? 1 : 0
        var records: [Record] = []
        records.reserveCapacity(hashed.count)
        for (index, entry) in hashed.enumerated() {
            let next = hashed[(index + 1) % hashed.count].hash
            let label = Array(BinaryText.base32Hex(entry.hash).lowercased().utf8)
            let owner: Name
            do {
                owner = try origin.prepending(label: label)
            } catch {
                throw ZoneSigningError(.badZone, "the NSEC3 owner under \(origin.presentation) is too long")
            }
            let rdata = NSEC3(
                hashAlgorithm: 1, flags: flags, iterations: parameters.iterations, salt: parameters.salt,
                nextHashedOwner: next, types: TypeBitmap(entry.types))
            records.append(Record(owner: owner, rrClass: rrClass, ttl: ttl, rdata: rdata))
        }
        return records
    }
}
