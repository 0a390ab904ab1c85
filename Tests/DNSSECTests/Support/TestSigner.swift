import Cryptography
import DNSSEC
import DNSWire
import Foundation

/// A zone signed in the test with a fresh key: enough DNSSEC signing to build chains of trust
/// and break them on purpose. (The real signer is danezone's; this stays small.)
struct TestZone {
    let name: Name
    let key: DNSSECPrivateKey
    let dnskey: DNSKEY
    var records: [Record] = []
    /// Validity of the signatures made by `signed()`.
    var inception: UInt32
    var expiration: UInt32

    static let defaultInception: UInt32 = 1_700_000_000
    static let defaultExpiration: UInt32 = 1_700_000_000 + 30 * 86_400
    /// A time inside the default window.
    static let now: UInt32 = 1_700_000_000 + 86_400

    init(
        _ name: Name, algorithm: DNSSECAlgorithm = .ecdsaP256SHA256, flags: UInt16 = 257,
        inception: UInt32 = TestZone.defaultInception, expiration: UInt32 = TestZone.defaultExpiration
    ) throws {
        self.name = name
        self.key = try DNSSECPrivateKey.generate(algorithm)
        self.dnskey = DNSKEY(flags: flags, algorithm: algorithm, publicKey: key.publicKeyField)
        self.inception = inception
        self.expiration = expiration
        records.append(Record(owner: name, ttl: 3600, rdata: dnskey))
    }

    var keyTag: UInt16 { ZoneKey(dnskey).keyTag }

    mutating func add(_ owner: Name, _ ttl: UInt32 = 3600, _ rdata: any RDATA) {
        records.append(Record(owner: owner, ttl: ttl, rdata: rdata))
    }

    /// The DS record for this zone's key.
    func ds(_ digestType: DigestType = .sha256) throws -> DS {
        let digest = try DSDigest.compute(
            type: digestType, ownerName: name.lowercased().wire, dnskeyRDATA: try dnskey.wireRDATA())
        return DS(keyTag: keyTag, algorithm: dnskey.algorithm, digestType: digestType, digest: digest)
    }

    /// An RRSIG over `rrset` made with this zone's key; the fields can be bent for tests.
    func sign(
        _ rrset: RRset, labels: UInt8? = nil, originalTTL: UInt32? = nil, typeCovered: RRType? = nil,
        signer: Name? = nil, keyTag: UInt16? = nil, inception: UInt32? = nil, expiration: UInt32? = nil
    ) throws -> RRSIG {
        var rrsig = RRSIG(
            typeCovered: typeCovered ?? rrset.type, algorithm: dnskey.algorithm,
            labels: labels ?? UInt8(rrset.owner.rrsigLabelCount), originalTTL: originalTTL ?? rrset.ttl,
            expiration: expiration ?? self.expiration, inception: inception ?? self.inception,
            keyTag: keyTag ?? self.keyTag, signerName: signer ?? name, signature: [])
        var unsigned = rrset
        unsigned.type = rrsig.typeCovered
        let data = try RRSIGSignedData.bytes(
            rrsig: try rrsig.wireRDATA(), owner: rrset.owner, rrClass: rrset.rrClass,
            rdatas: try rrset.rdatas.map { try $0.wireRDATA() })
        rrsig.signature = try key.sign(data)
        return rrsig
    }

    /// Every record of the zone plus an RRSIG for each RRset (glue and parent-side NS of
    /// delegations included, which is harmless here).
    func signed(skip: Set<Name> = []) throws -> [Record] {
        var result = records
        for set in try RRset.group(records) where !skip.contains(set.owner) {
            result.append(Record(owner: set.owner, ttl: set.ttl, rdata: try sign(set)))
        }
        return result
    }

    var keySet: ZoneKeySet { ZoneKeySet(zone: name, dnskeys: [dnskey]) }
}

extension SignedRRset {
    /// A one-record RRset with the given signatures.
    static func single(_ owner: Name, _ ttl: UInt32 = 3600, _ rdata: any RDATA, signatures: [RRSIG] = []) -> SignedRRset
    {
        SignedRRset(
            rrset: RRset(owner: owner, type: rdata.rrType, rrClass: .internet, ttl: ttl, rdatas: [rdata]),
            signatures: signatures)
    }
}

/// Serves several zones as an authoritative-aware recursive resolver would: DS from the parent
/// zone, everything else from the deepest zone holding the name; NODATA and NXDOMAIN carry the
/// zone's NSEC/NSEC3 records (all of them, with their RRSIGs) in the authority section.
/// Counts lookups so tests can see the cache at work.
final class ZonesFetcher: DNSSECFetcher, @unchecked Sendable {
    let zones: [Name: [Record]]
    private let lock = NSLockLike()
    private var lookups: [String] = []

    init(_ zones: [Name: [Record]]) {
        self.zones = zones
    }

    var lookupCount: Int { lock.locked { lookups.count } }
    var lookupLog: [String] { lock.locked { lookups } }

    func fetch(_ name: Name, _ type: RRType) async -> FetchResult {
        lock.locked { lookups.append("\(name.presentation) \(type)") }
        let candidates = zones.keys.filter { type == .ds ? name.isProperSubdomain(of: $0) : name.isSubdomain(of: $0) }
        guard let zone = candidates.max(by: { $0.labelCount < $1.labelCount }), let records = zones[zone] else {
            return .failure("no zone for \(name.presentation)")
        }
        func covers(_ record: Record, _ wanted: RRType) -> Bool {
            if record.type == wanted { return true }
            if let rrsig = record.rdata as? RRSIG { return rrsig.typeCovered == wanted }
            return false
        }
        let answer = records.filter { $0.owner == name && (covers($0, type) || covers($0, .cname)) }
        var message = Message(
            header: Header(isResponse: true, isAuthoritative: true), questions: [Question(name: name, type: type)])
        if !answer.isEmpty {
            message.answers = answer
            return .response(message)
        }
        message.authority = records.filter {
            covers($0, .nsec) || covers($0, .nsec3) || ($0.owner == zone && covers($0, .soa))
        }
        if !records.contains(where: { $0.owner.isSubdomain(of: name) }) { message.rcode = .nxDomain }
        return .response(message)
    }
}

/// A lock around a few counters.
final class NSLockLike: @unchecked Sendable {
    private let lock = NSLock()
    func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
