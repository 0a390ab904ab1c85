import DNSWire

/// A DNSKEY RRset that has been authenticated, with what tools want to show about it.
public struct ValidatedKeySet: Sendable {
    public let keys: ZoneKeySet
    /// How long the key set may be used: its TTL capped by the RRSIG (RFC 4035 §5.3.3).
    public let ttl: UInt32
    /// The key tags that a DS (or trust anchor) matched and that signed the DNSKEY RRset.
    public let secureEntryKeyTags: [UInt16]
    /// The algorithms of those keys.
    public let algorithms: [UInt8]
    /// The supported algorithms the DS set or trust anchor asks for: every RRset of the zone
    /// needs a valid signature of each (no algorithm downgrade).
    public let requiredAlgorithms: Set<UInt8>

    public init(
        keys: ZoneKeySet, ttl: UInt32, secureEntryKeyTags: [UInt16], algorithms: [UInt8], requiredAlgorithms: Set<UInt8> = []
    ) {
        self.keys = keys
        self.ttl = ttl
        self.secureEntryKeyTags = secureEntryKeyTags
        self.algorithms = algorithms
        self.requiredAlgorithms = requiredAlgorithms
    }

    /// The same key set, usable for at most `ttl` seconds.
    public func limited(to ttl: UInt32) -> ValidatedKeySet {
        ValidatedKeySet(
            keys: keys, ttl: min(self.ttl, ttl), secureEntryKeyTags: secureEntryKeyTags, algorithms: algorithms,
            requiredAlgorithms: requiredAlgorithms)
    }

    /// Checks an RRset of this zone with these keys. With `everyAlgorithm` the RRset needs a
    /// valid signature of each algorithm in `requiredAlgorithms` (no algorithm downgrade);
    /// without, any one valid signature will do (RFC 6840 §5.11).
    public func verify(_ set: SignedRRset, now: UInt32, everyAlgorithm: Bool = false) -> RRsetVerification {
        RRsetVerifier.verify(set, with: keys, now: now, requiredAlgorithms: everyAlgorithm ? requiredAlgorithms : nil)
    }

    /// The same, spending from a lookup's budget.
    func verify(_ set: SignedRRset, now: UInt32, everyAlgorithm: Bool, budget: ResponseBudget) -> RRsetVerification {
        RRsetVerifier.verify(set, with: keys, now: now, requiredAlgorithms: everyAlgorithm ? requiredAlgorithms : nil, budget: budget)
    }

    public var zone: Name { keys.zone }
}

/// The verdict on one zone's DNSKEY RRset.
public enum KeySetVerdict: Sendable {
    case secure(ValidatedKeySet)
    case insecure(ValidationReason)
    case bogus(ValidationReason)
}

/// DS → DNSKEY (RFC 4035 §5.2): a DNSKEY RRset is authenticated when a usable DS matches a
/// zone key of the set, and that key's signature over the whole DNSKEY RRset verifies. The
/// trust anchor case is the same with the anchor's DS or DNSKEY records in place of the DS.
public enum KeySetAuthenticator {
    /// Authenticates `dnskeys` (the DNSKEY RRset of its owner, with RRSIGs) with a validated
    /// DS set. No usable DS (only unsupported algorithms or digest types) → insecure (RFC 4035
    /// §5.2); usable DS but no matching key that signs the set → bogus.
    public static func authenticate(_ dnskeys: SignedRRset, ds dsSet: [DS], now: UInt32) -> KeySetVerdict {
        authenticate(dnskeys, ds: dsSet, now: now, budget: nil)
    }

    /// The same, spending from a lookup's budget when one is given.
    static func authenticate(_ dnskeys: SignedRRset, ds dsSet: [DS], now: UInt32, budget: ResponseBudget?) -> KeySetVerdict {
        let zone = dnskeys.owner
        let usable = DSMatcher.usable(dsSet)
        guard !usable.isEmpty else {
            return dsSet.isEmpty
                ? .bogus(ValidationReason(.dnskeyMissing, "no DS for \(zone.presentation)"))
                : .insecure(DSMatcher.unusableReason(dsSet, zone: zone))
        }
        let keySet = ZoneKeySet(rrset: dnskeys.rrset)
        var firstFailure: ValidationReason? = nil
        var matchedAny = false
        var attempts = 0
        for ds in usable {
            for key in keySet.keys where key.isUsableZoneKey && DSMatcher.matches(ds, key: key, owner: zone) {
                matchedAny = true
                attempts += 1
                // Bound the work a crafted key set can cause (CVE-2023-50387).
                guard attempts <= RRsetVerifier.maxSignatureChecks else { break }
                switch verifySelfSigned(dnskeys, keySet: keySet, by: key, now: now, budget: budget) {
                case .secure(let validated):
                    return .secure(validated.requiring(Set(usable.map(\.algorithm.rawValue))))
                case .bogus(let reason), .insecure(let reason): firstFailure = firstFailure ?? reason
                }
            }
        }
        if !matchedAny {
            let tags = usable.map { String($0.keyTag) }.joined(separator: ", ")
            return .bogus(ValidationReason(
                .dnskeyMissing, "no zone key of \(zone.presentation) matches its DS (key tags \(tags))"))
        }
        return .bogus(firstFailure ?? ValidationReason(.dnssecBogus, "the DNSKEY RRset of \(zone.presentation) is not signed by a DS key"))
    }

    /// Authenticates `dnskeys` with trust-anchor DNSKEYs: a DNSKEY of the set equal to an anchor
    /// key must sign the set (RFC 4035 §5; RFC 5011 keys are plain anchors here).
    public static func authenticate(_ dnskeys: SignedRRset, anchorKeys: [DNSKEY], now: UInt32) -> KeySetVerdict {
        authenticate(dnskeys, anchorKeys: anchorKeys, now: now, budget: nil)
    }

    /// The same, spending from a lookup's budget when one is given.
    static func authenticate(_ dnskeys: SignedRRset, anchorKeys: [DNSKEY], now: UInt32, budget: ResponseBudget?) -> KeySetVerdict {
        let zone = dnskeys.owner
        let supportedAnchors = anchorKeys.filter { DNSSECValidationSupport.isSupported(algorithm: $0.algorithm.rawValue) }
        guard !supportedAnchors.isEmpty else {
            return .insecure(ValidationReason(
                .unsupportedDNSKEYAlgorithm, "the trust anchor keys of \(zone.presentation) use only unsupported algorithms"))
        }
        let keySet = ZoneKeySet(rrset: dnskeys.rrset)
        var firstFailure: ValidationReason? = nil
        for anchor in supportedAnchors {
            for key in keySet.keys where key.isUsableZoneKey && key.dnskey == anchor {
                switch verifySelfSigned(dnskeys, keySet: keySet, by: key, now: now, budget: budget) {
                case .secure(let validated):
                    return .secure(validated.requiring(Set(supportedAnchors.map(\.algorithm.rawValue))))
                case .bogus(let reason), .insecure(let reason): firstFailure = firstFailure ?? reason
                }
            }
        }
        return .bogus(firstFailure ?? ValidationReason(
            .dnskeyMissing, "no trust-anchor key is in the DNSKEY RRset of \(zone.presentation)"))
    }

    /// Checks that `key` signs the DNSKEY RRset; then the whole set is trusted.
    /// (The required algorithms are filled in by the caller.)
    static func verifySelfSigned(
        _ dnskeys: SignedRRset, keySet: ZoneKeySet, by key: ZoneKey, now: UInt32, budget: ResponseBudget? = nil
    ) -> KeySetVerdict {
        let single = ZoneKeySet(zone: keySet.zone, keys: [key])
        switch RRsetVerifier.verify(dnskeys, with: single, now: now, requiredAlgorithms: nil, budget: budget) {
        case .verified(let ttl, _, let tag):
            return .secure(ValidatedKeySet(keys: keySet, ttl: ttl, secureEntryKeyTags: [tag], algorithms: [key.algorithm]))
        case .failed(let reason):
            return .bogus(reason)
        }
    }
}

extension ValidatedKeySet {
    func requiring(_ algorithms: Set<UInt8>) -> ValidatedKeySet {
        ValidatedKeySet(
            keys: keys, ttl: ttl, secureEntryKeyTags: secureEntryKeyTags, algorithms: self.algorithms,
            requiredAlgorithms: algorithms)
    }
}
