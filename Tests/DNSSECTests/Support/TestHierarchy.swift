import Cryptography
import DNSSEC
import DNSWire

extension TestZone {
    /// The owner names of the zone and the types at each.
    func typesByOwner() -> [(Name, Set<RRType>)] {
        var types: [Name: Set<RRType>] = [:]
        for record in records { types[record.owner, default: []].insert(record.type) }
        return types.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// An NSEC chain over the zone's names in canonical order (RFC 4034 §4, RFC 4035 §2.3).
    mutating func addNSECChain() {
        let owners = typesByOwner()
        for (index, (owner, types)) in owners.enumerated() {
            let next = owners[(index + 1) % owners.count].0
            add(owner, 3600, NSEC(nextName: next, types: TypeBitmap(types.union([.nsec, .rrsig]))))
        }
    }

    /// An NSEC3 chain (RFC 5155 §7.1): one record per name and empty non-terminal, in hash
    /// order; delegations without DS are left out of the chain when `optOut` is set.
    mutating func addNSEC3Chain(iterations: UInt16 = 0, salt: [UInt8] = [], optOut: Bool = false) throws {
        var byName: [Name: Set<RRType>] = [:]
        for (owner, types) in typesByOwner() {
            let unsignedDelegation = types.contains(.ns) && !types.contains(.ds) && owner != name
            if optOut && unsignedDelegation { continue }
            var signedTypes = types
            if !unsignedDelegation || types.contains(.ds) { signedTypes.insert(.rrsig) }
            if owner == name { signedTypes.insert(.nsec3param) }
            byName[owner, default: []].formUnion(signedTypes)
            var ancestor = owner.parent
            while let current = ancestor, current.isProperSubdomain(of: name) {
                if byName[current] == nil { byName[current] = [] }
                ancestor = current.parent
            }
        }
        let hashed = try byName.map { (name, types) -> ([UInt8], Set<RRType>) in
            guard let hash = NSEC3Hash.hash(name, salt: salt, iterations: iterations) else { throw TestFailure("hash") }
            return (hash, types)
        }.sorted { $0.0.lexicographicallyPrecedes($1.0) }
        for (index, (hash, types)) in hashed.enumerated() {
            let next = hashed[(index + 1) % hashed.count].0
            let owner = try name.prepending(label: Array(BinaryText.base32Hex(hash).lowercased().utf8))
            add(
                owner, 3600,
                NSEC3(
                    flags: optOut ? 1 : 0, iterations: iterations, salt: salt, nextHashedOwner: next,
                    types: TypeBitmap(types)))
        }
        add(name, 3600, NSEC3PARAM(hashAlgorithm: 1, flags: 0, iterations: iterations, salt: salt))
    }
}

/// A small signed hierarchy on loopback-free data: the root (trust anchor by DS), `test.`,
/// `example.test.` (signed, TLSA and friends) and `unsigned.test.` (an unsigned delegation).
struct TestHierarchy {
    var root: TestZone
    var tld: TestZone
    var example: TestZone
    var unsignedRecords: [Record]

    static let tlsaName: Name = "_25._tcp.mail.example.test."
    static let tlsa = TLSA(
        usage: .init(rawValue: 3), selector: .init(rawValue: 1), matchingType: .init(rawValue: 1),
        associationData: [UInt8](repeating: 0xAB, count: 32))

    /// - Parameters:
    ///   - denial: "nsec" or "nsec3" for example.test.
    init(denial: String = "nsec", nsec3Iterations: UInt16 = 0, exampleAlgorithm: DNSSECAlgorithm = .ecdsaP256SHA256)
        throws
    {
        root = try TestZone(.root)
        tld = try TestZone("test.")
        example = try TestZone("example.test.", algorithm: exampleAlgorithm)

        example.add(Self.tlsaName, 300, Self.tlsa)
        example.add("alias.example.test.", 600, CNAME("www.test."))
        example.add("dname.example.test.", 600, DNAME("test."))
        if denial == "nsec3" {
            try example.addNSEC3Chain(iterations: nsec3Iterations, salt: [0xAB, 0xCD])
        } else {
            example.addNSECChain()
        }

        tld.add("www.test.", 600, A(192, 0, 2, 80))
        tld.add("x.test.", 600, A(192, 0, 2, 81))
        tld.add("example.test.", 3600, NS("ns.example.test."))
        tld.add("example.test.", 3600, try example.ds())
        tld.add("unsigned.test.", 3600, NS("ns.unsigned.test."))
        tld.addNSECChain()

        root.add("test.", 86_400, NS("ns.test."))
        root.add("test.", 86_400, try tld.ds())
        root.addNSECChain()

        unsignedRecords = [Record(owner: "host.unsigned.test.", ttl: 300, rdata: A(192, 0, 2, 99))]
    }

    var anchors: TrustAnchorStore {
        get throws { TrustAnchorStore([TrustAnchor(zone: .root, ds: [try root.ds()])]) }
    }

    func fetcher() throws -> ZonesFetcher {
        ZonesFetcher([
            .root: try root.signed(), "test.": try tld.signed(), "example.test.": try example.signed(),
            "unsigned.test.": unsignedRecords,
        ])
    }

    func validator(_ fetcher: ZonesFetcher, configuration: ValidatorConfiguration = .init(), now: UInt32 = TestZone.now)
        throws
        -> DNSSECValidator
    {
        DNSSECValidator(anchors: try anchors, fetcher: fetcher, configuration: configuration, clock: { UInt64(now) })
    }
}
