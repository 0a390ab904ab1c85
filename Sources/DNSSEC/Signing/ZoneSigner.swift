import DNSWire

/// How to deny existence in a signed zone.
public enum DenialOfExistenceMethod: Sendable, Equatable {
    case nsec
    case nsec3(NSEC3Parameters)
}

/// What ``ZoneSigner`` needs besides the zone and keys. Times are seconds since 1970 (RRSIG
/// serial-number time, RFC 4034 §3.1.5); "now" is the caller's, so tests can fix it.
public struct ZoneSigningOptions: Sendable {
    public var inception: UInt32
    public var expiration: UInt32
    public var denial: DenialOfExistenceMethod

    public init(inception: UInt32, expiration: UInt32, denial: DenialOfExistenceMethod = .nsec) {
        self.inception = inception
        self.expiration = expiration
        self.denial = denial
    }
}

/// Signs a zone offline (RFC 4035 §2): publishes the keys in the apex DNSKEY set, builds the
/// NSEC or NSEC3 chain, and signs every authoritative RRset — not glue, not the NS set of a
/// delegation (the child's, RFC 4035 §2.2), but the DS set there. For each algorithm,
/// key-signing keys (SEP flag) sign the DNSKEY set and zone-signing keys everything else; when
/// an algorithm's keys are of one kind only, they sign everything. Old RRSIG, NSEC, NSEC3 and NSEC3PARAM records are replaced.
public enum ZoneSigner {
    /// The signed zone's records: grouped into RRsets, each set followed by its RRSIGs, in
    /// canonical zone order (print with DNSWire's `ZoneFileWriter`).
    public static func sign(
        records: [Record], origin: Name, keys: [SigningKey], options: ZoneSigningOptions
    ) throws(ZoneSigningError) -> [Record] {
        guard !keys.isEmpty else { throw ZoneSigningError(.badKey, "no signing keys") }
        var data = records.filter { ![.rrsig, .nsec, .nsec3, .nsec3param].contains($0.type) }
        if let outside = data.first(where: { !$0.owner.isSubdomain(of: origin) }) {
            throw ZoneSigningError(.badZone, "\(outside.owner.presentation) is outside the zone \(origin.presentation)")
        }
        guard let soaRecord = data.first(where: { $0.type == .soa && $0.owner == origin }),
            let soa = soaRecord.rdata as? SOA
        else {
            throw ZoneSigningError(.badZone, "no SOA record at \(origin.presentation)")
        }
        let rrClass = soaRecord.rrClass
        let denialTTL = min(soaRecord.ttl, soa.minimum)
        let keyTTL = data.first(where: { $0.type == .dnskey && $0.owner == origin })?.ttl ?? soaRecord.ttl
        for key in keys {
            data.append(Record(owner: origin, rrClass: rrClass, ttl: keyTTL, rdata: key.dnskey))
        }
        if case .nsec3(let parameters) = options.denial {
            data.append(
                Record(
                    owner: origin, rrClass: rrClass, ttl: denialTTL,
                    rdata: NSEC3PARAM(hashAlgorithm: 1, flags: 0, iterations: parameters.iterations, salt: parameters.salt)))
        }

        let rrsets: [RRset]
        do {
            rrsets = try RRset.group(data)
        } catch {
            throw ZoneSigningError(.badZone, "bad record data: \(error)")
        }
        var typesByOwner: [Name: Set<RRType>] = [:]
        for rrset in rrsets { typesByOwner[rrset.owner, default: []].insert(rrset.type) }
        let cuts = Set(typesByOwner.compactMap { $0.key != origin && $0.value.contains(.ns) ? $0.key : nil })
        func isOccluded(_ name: Name) -> Bool {
            var ancestor = name.parent
            while let current = ancestor, current.isProperSubdomain(of: origin) {
                if cuts.contains(current) { return true }
                ancestor = current.parent
            }
            return false
        }
        let occluded = Set(typesByOwner.keys.filter { isOccluded($0) })

        // The denial chain over the authoritative names.
        let authoritative = typesByOwner.filter { !occluded.contains($0.key) }
        let chain: [Record]
        switch options.denial {
        case .nsec:
            chain = NSECChainBuilder.build(
                origin: origin, owners: authoritative.map { ($0.key, $0.value) }, ttl: denialTTL, rrClass: rrClass)
        case .nsec3(let parameters):
            let owners = authoritative.map { name, types -> NSEC3ChainBuilder.Owner in
                let isCut = cuts.contains(name)
                let isInsecure = isCut && !types.contains(.ds)
                // RRSIG is in the bitmap when the name has signatures: not at an insecure cut.
                return NSEC3ChainBuilder.Owner(
                    name: name, types: isInsecure ? types : types.union([.rrsig]), isInsecureDelegation: isInsecure)
            }
            chain = try NSEC3ChainBuilder.build(
                origin: origin, owners: owners, parameters: parameters, ttl: denialTTL, rrClass: rrClass)
        }
        let chainSets: [RRset]
        do {
            chainSets = try RRset.group(chain)
        } catch {
            throw ZoneSigningError(.badZone, "bad denial record: \(error)")
        }

        // Every algorithm in the DNSKEY set must sign every RRset (RFC 4035 §2.2), so the
        // KSK/ZSK split is made per algorithm: within one algorithm, KSKs sign the DNSKEY set
        // and ZSKs the rest, and keys of one kind only sign everything.
        var dnskeySigners: [SigningKey] = []
        var dataSigners: [SigningKey] = []
        for algorithm in Set(keys.map(\.algorithm.rawValue)).sorted() {
            let group = keys.filter { $0.algorithm.rawValue == algorithm }
            let keySigning = group.filter(\.isKeySigningKey)
            let zoneSigning = group.filter { !$0.isKeySigningKey }
            dnskeySigners += keySigning.isEmpty ? group : keySigning
            dataSigners += zoneSigning.isEmpty ? group : zoneSigning
        }

        var output: [Record] = []
        output.reserveCapacity((rrsets.count + chainSets.count) * 2)
        for rrset in rrsets + chainSets {
            output += rrset.records
            guard !occluded.contains(rrset.owner) else { continue }  // glue is not signed
            if cuts.contains(rrset.owner), rrset.type != .ds, rrset.type != .nsec { continue }
            let signers = rrset.type == .dnskey && rrset.owner == origin ? dnskeySigners : dataSigners
            for key in signers {
                output.append(try signature(over: rrset, key: key, signer: origin, options: options))
            }
        }
        do {
            return try CanonicalZoneOrder.sorted(output).flatMap(\.records)
        } catch {
            throw ZoneSigningError(.badZone, "cannot order the zone: \(error)")
        }
    }

    /// The RRSIG record over `rrset` by `key` (RFC 4034 §3.1, RFC 4035 §2.2): Labels without a
    /// wildcard label, Original TTL the set's TTL, the signature over the RRSIG fields and the
    /// canonical RRset (§3.1.8.1).
    public static func signature(
        over rrset: RRset, key: SigningKey, signer: Name, options: ZoneSigningOptions
    ) throws(ZoneSigningError) -> Record {
        var rrsig = RRSIG(
            typeCovered: rrset.type, algorithm: key.algorithm, labels: UInt8(rrset.owner.rrsigLabelCount),
            originalTTL: rrset.ttl, expiration: options.expiration, inception: options.inception,
            keyTag: key.keyTag, signerName: signer, signature: [])
        let signedData: [UInt8]
        do {
            signedData = rrsig.signedPrefix() + (try rrset.canonicalWire(ttl: rrset.ttl))
        } catch {
            throw ZoneSigningError(.badZone, "cannot encode \(rrset.owner.presentation) \(rrset.type): \(error)")
        }
        do {
            rrsig.signature = try key.privateKey.sign(signedData)
        } catch {
            throw ZoneSigningError(.signingFailed, "signing \(rrset.owner.presentation) \(rrset.type): \(error)")
        }
        return Record(owner: rrset.owner, rrClass: rrset.rrClass, ttl: rrset.ttl, rdata: rrsig)
    }
}
