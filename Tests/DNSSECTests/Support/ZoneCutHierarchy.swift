import Cryptography
import DNSSEC
import DNSWire

/// A signed parent with an unsigned child and a second trust anchor, for CNAME chains across
/// zone cuts (issue 10): the root (anchor by DS) → `example.` (NSEC or NSEC3), which delegates
/// without DS to `child.example.` (unsigned) and to `a.b.example.` (signed, with a trust anchor
/// of its own: an island of security below an unsigned delegation).
///
/// `example.` holds `www.example. CNAME www.child.example.` (a target below the unsigned cut),
/// `top.example. CNAME child.example.` (the cut itself), `far.example. CNAME
/// www.a.b.example.` (a target under the closer anchor) and `d.example. DNAME a.b.example.`.
struct ZoneCutHierarchy {
    /// How the DNSKEY RRset of `a.b.example.` is served.
    enum IslandKeys {
        case signed, unsigned, brokenSignature
    }

    var root: TestZone
    var example: TestZone
    var island: TestZone
    var childRecords: [Record]
    var islandKeys: IslandKeys

    static let islandName: Name = "a.b.example."

    /// - Parameters:
    ///   - denial: "nsec", "nsec3" (unsigned delegations in the chain, NS bit set, DS bit
    ///     clear) or "nsec3-optout" (unsigned delegations left to opt-out spans) for `example.`.
    ///   - signedChild: give `child.example.` a DS, so that it is no unsigned delegation.
    ///   - secondAlgorithm: the root also holds a DS for an Ed25519 key of `example.` that signs
    ///     nothing (a stripped stronger algorithm, for harden-algo-downgrade).
    init(denial: String, islandKeys: IslandKeys = .signed, signedChild: Bool = false, secondAlgorithm: Bool = false) throws {
        root = try TestZone(.root)
        example = try TestZone("example.")
        island = try TestZone(Self.islandName)
        self.islandKeys = islandKeys

        island.add("www.a.b.example.", 300, A(192, 0, 2, 20))
        island.addNSECChain()

        example.add("www.example.", 600, CNAME("www.child.example."))
        example.add("top.example.", 600, CNAME("child.example."))
        example.add("far.example.", 600, CNAME("www.a.b.example."))
        example.add("d.example.", 600, DNAME(Self.islandName))
        example.add("child.example.", 3600, NS("ns.child.example."))
        if signedChild { example.add("child.example.", 3600, try TestZone("child.example.").ds()) }
        example.add(Self.islandName, 3600, NS("ns.a.b.example."))
        switch denial {
        case "nsec3": try example.addNSEC3Chain(salt: [0x5A])
        case "nsec3-optout": try example.addNSEC3Chain(salt: [0x5A], optOut: true)
        default: example.addNSECChain()
        }

        root.add("example.", 86_400, NS("ns.example."))
        root.add("example.", 86_400, try example.ds())
        if secondAlgorithm {
            let edwards = try TestZone("example.", algorithm: .ed25519)
            example.records.append(Record(owner: "example.", ttl: 3600, rdata: edwards.dnskey))
            root.add("example.", 86_400, try edwards.ds())
        }
        root.addNSECChain()

        childRecords = [
            Record(owner: "www.child.example.", ttl: 300, rdata: A(192, 0, 2, 7)),
            Record(owner: "child.example.", ttl: 300, rdata: SOA(
                primaryServer: "ns.child.example.", responsibleMailbox: "admin.child.example.", serial: 1, refresh: 3600,
                retry: 600, expire: 86_400, minimum: 300)),
        ]
    }

    /// The root's DS and the island's own key.
    var anchors: TrustAnchorStore {
        get throws {
            TrustAnchorStore([
                TrustAnchor(zone: .root, ds: [try root.ds()]), TrustAnchor(zone: Self.islandName, dnskeys: [island.dnskey]),
            ])
        }
    }

    /// The island's records as served: its DNSKEY RRset signed, unsigned or with a broken
    /// signature.
    func islandSigned() throws -> [Record] {
        switch islandKeys {
        case .signed:
            return try island.signed()
        case .unsigned:
            return try island.signed(skip: [Self.islandName])
        case .brokenSignature:
            return try island.signed().map { record in
                guard var rrsig = record.rdata as? RRSIG, rrsig.typeCovered == .dnskey else { return record }
                rrsig.signature[rrsig.signature.count / 2] ^= 0x01
                var copy = record
                copy.rdata = rrsig
                return copy
            }
        }
    }

    func fetcher() throws -> ZonesFetcher {
        ZonesFetcher([
            .root: try root.signed(), "example.": try example.signed(), "child.example.": childRecords,
            Self.islandName: try islandSigned(),
        ])
    }

    func validator(configuration: ValidatorConfiguration = .init()) throws -> DNSSECValidator {
        DNSSECValidator(anchors: try anchors, fetcher: try fetcher(), configuration: configuration, clock: { UInt64(TestZone.now) })
    }

    /// The RRset `owner`/`type` of `records` with the RRSIGs over it.
    static func rrset(_ records: [Record], _ owner: Name, _ type: RRType) -> [Record] {
        records.filter { $0.owner == owner && ($0.type == type || ($0.rdata as? RRSIG)?.typeCovered == type) }
    }

    /// Every NSEC or NSEC3 record of `records` with its RRSIGs: the proofs a server adds.
    static func denialRecords(_ records: [Record]) -> [Record] {
        records.filter { record in
            [RRType.nsec, .nsec3].contains(record.type) || [RRType.nsec, .nsec3].contains((record.rdata as? RRSIG)?.typeCovered)
        }
    }

    /// The signed CNAME at `name` with every NSEC or NSEC3 record of `example.` (among them the
    /// proof about the cut below which the target lies): what `example.`'s server answers, as
    /// in the first response of Unbound's val_cnametocloser.
    func cnameWithParentProof(_ name: Name, _ type: RRType) throws -> Message {
        let signed = try example.signed()
        var message = Message(
            header: Header(isResponse: true), questions: [Question(name: name, type: type)],
            answers: Self.rrset(signed, name, .cname))
        message.authority = Self.denialRecords(signed)
        return message
    }

    /// What a resolver hands on for a CNAME into `child.example.` whose target has no `type`
    /// data: the signed CNAME, the parent's proof that the child has no DS, and the child's
    /// unsigned SOA (as Unbound does).
    func cnameIntoChild(_ name: Name, _ type: RRType) throws -> Message {
        var message = try cnameWithParentProof(name, type)
        message.authority += childRecords.filter { $0.type == .soa }
        return message
    }
}
