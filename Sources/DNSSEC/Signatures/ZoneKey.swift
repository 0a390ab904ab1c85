import Cryptography
import DNSWire

/// One DNSKEY of a zone with what validation needs from it, computed once: its wire RDATA, key
/// tag (RFC 4034 App. B) and the parsed public key. A key set is validated once and then reused
/// for every RRset of the zone, so signatures never re-parse keys.
public struct ZoneKey: Sendable {
    public let dnskey: DNSKEY
    /// The DNSKEY RDATA in wire form (for DS digests and key tags).
    public let rdata: [UInt8]
    public let keyTag: UInt16
    /// The key ready for verification; nil when the algorithm is unsupported or the key field is
    /// malformed (then `keyError` says which).
    public let publicKey: DNSSECPublicKey?
    public let keyError: CryptographyError?

    public init(_ dnskey: DNSKEY) {
        self.dnskey = dnskey
        // DNSKEY RDATA encodes without names, so writing it cannot fail.
        let rdata = (try? dnskey.wireRDATA()) ?? []
        self.rdata = rdata
        self.keyTag = KeyTag.of(dnskeyRDATA: rdata)
        do {
            self.publicKey = try DNSSECPublicKey(
                algorithm: dnskey.algorithm,
                publicKeyField: dnskey.publicKey)
            self.keyError = nil
        } catch {
            self.publicKey = nil
            self.keyError = error
        }
    }

    public var algorithm: UInt8 { dnskey.algorithm.rawValue }

    /// True when the key may verify RRSIGs (RFC 4034 §2.1.1-2.1.2, RFC 5011 §7): the Zone Key
    /// flag is set, the protocol is 3 and the key is not revoked.
    public var isUsableZoneKey: Bool {
        dnskey.isZoneKey && dnskey.protocolValue == 3 && !dnskey.isRevoked
    }

    /// True when this module implements the key's algorithm.
    public var isAlgorithmSupported: Bool {
        DNSSECValidationSupport.isSupported(algorithm: algorithm)
    }
}

/// The DNSKEY RRset of a zone (its owner is the zone apex), as parsed keys.
public struct ZoneKeySet: Sendable {
    public let zone: Name
    public let keys: [ZoneKey]

    public init(zone: Name, keys: [ZoneKey]) {
        self.zone = zone
        self.keys = keys
    }

    public init(zone: Name, dnskeys: [DNSKEY]) {
        self.init(zone: zone, keys: dnskeys.map(ZoneKey.init))
    }

    /// The keys of a DNSKEY RRset (other RDATA types are ignored).
    public init(rrset: RRset) {
        self.init(zone: rrset.owner, dnskeys: rrset.rdatas.compactMap { $0 as? DNSKEY })
    }

    /// Keys an RRSIG may name: same key tag and algorithm (RFC 4035 §5.3.1). Tags collide, so
    /// this may be several.
    public func candidates(keyTag: UInt16, algorithm: UInt8) -> [ZoneKey] {
        keys.filter { $0.keyTag == keyTag && $0.algorithm == algorithm }
    }

    /// This set restricted to the given keys (e.g. the keys a DS matched).
    public func restricted(to tags: Set<UInt16>, algorithms: Set<UInt8>) -> ZoneKeySet {
        ZoneKeySet(zone: zone, keys: keys.filter { tags.contains($0.keyTag) && algorithms.contains($0.algorithm) })
    }
}

/// Which algorithms and digest types the Cryptography module implements (RFC 8624 §3).
public enum DNSSECValidationSupport {
    public static func isSupported(algorithm: UInt8) -> Bool {
        DNSSECAlgorithm(rawValue: algorithm).isSupportedForValidation
    }

    public static func isSupported(digestType: UInt8) -> Bool {
        DigestType(rawValue: digestType).isSupported
    }
}
