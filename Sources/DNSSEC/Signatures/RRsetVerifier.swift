import Cryptography
import DNSWire

/// The outcome of checking one RRset against a zone's DNSKEY set.
public enum RRsetVerification: Sendable {
    /// A signature checked out. `ttl` is how long the data may be kept: the RRset TTL capped by
    /// the RRSIG Original TTL and by the time left until the signature expires (RFC 4035 §5.3.3).
    case verified(ttl: UInt32, signature: RRSIG, keyTag: UInt16)
    /// No signature checked out; the reason is that of the signature that got furthest.
    case failed(ValidationReason)

    public var isVerified: Bool { if case .verified = self { true } else { false } }
}

/// RRSIG verification as RFC 4035 §5.3.1 lists it. Every check, not only the cryptography:
///
/// - the RRSIG covers the RRset's type, and its owner and class are the RRset's;
/// - the Signer's Name is the zone of the key set, and the RRset owner is at or below it;
/// - the Labels field is at most the owner's label count (fewer means a wildcard expansion:
///   the signed owner is rebuilt by `RRSIGSignedData`, RFC 4035 §5.3.2);
/// - inception ≤ now ≤ expiration in serial-number arithmetic (RFC 4034 §3.1.5);
/// - a DNSKEY with the key tag and algorithm, the Zone Key flag and protocol 3 exists;
/// - the signature verifies over the canonical signed data (RFC 4034 §3.1.8.1).
///
/// One valid signature is enough (RFC 4035 §5.3.3; RFC 6840 §5.11: any algorithm the zone's
/// trusted keys offer is accepted).
public enum RRsetVerifier {
    /// Checks `signed` with `keys`. `now` is the validation time in 32-bit serial form.
    ///
    /// `requiredAlgorithms` is the set of algorithms the DS set (or trust anchor) asks for: the
    /// RRset must then carry a valid signature of each of them that we support, so an attacker
    /// cannot strip the signatures of the stronger algorithm (RFC 4035 §2.2 and §5.2, RFC 6840
    /// §5.11, Unbound's algorithm needs). Nil or empty: one valid signature of any algorithm.
    public static func verify(
        _ signed: SignedRRset, with keys: ZoneKeySet, now: UInt32, requiredAlgorithms: Set<UInt8>? = nil
    ) -> RRsetVerification {
        verify(signed, with: keys, now: now, requiredAlgorithms: requiredAlgorithms, budget: nil)
    }

    /// The same, also spending from a lookup's budget (`budget`), when given.
    static func verify(
        _ signed: SignedRRset, with keys: ZoneKeySet, now: UInt32, requiredAlgorithms: Set<UInt8>?, budget lookupBudget: ResponseBudget?
    ) -> RRsetVerification {
        let rrset = signed.rrset
        guard !signed.signatures.isEmpty else {
            return .failed(ValidationReason(.rrsigsMissing, "no RRSIG covers \(rrset.owner.presentation) \(rrset.type)"))
        }
        // The RDATA of the set in wire form, computed once for every signature tried.
        var rdatas: [[UInt8]] = []
        rdatas.reserveCapacity(rrset.rdatas.count)
        for rdata in rrset.rdatas {
            guard let wire = try? rdata.wireRDATA() else {
                return .failed(ValidationReason(.dnssecBogus, "RDATA of \(rrset.owner.presentation) \(rrset.type) cannot be encoded"))
            }
            rdatas.append(wire)
        }
        let required = (requiredAlgorithms ?? []).filter { DNSSECValidationSupport.isSupported(algorithm: $0) }
        var best: (rank: Int, reason: ValidationReason)? = nil
        var bestByAlgorithm: [UInt8: (rank: Int, reason: ValidationReason)] = [:]
        var valid: (ttl: UInt32, signature: RRSIG, keyTag: UInt16)? = nil
        var validAlgorithms: Set<UInt8> = []
        var budget = maxSignatureChecks
        for signature in signed.signatures {
            let algorithm = signature.algorithm.rawValue
            if !required.isEmpty && (!required.contains(algorithm) || validAlgorithms.contains(algorithm)) { continue }
            switch check(signature, rrset: rrset, rdatas: rdatas, keys: keys, now: now, budget: &budget, lookupBudget: lookupBudget) {
            case .success(let keyTag):
                let remaining = SignatureTime.secondsUntil(signature.expiration, now: now)
                let ttl = min(rrset.ttl, signature.originalTTL, remaining)
                valid = (min(ttl, valid?.ttl ?? ttl), valid?.signature ?? signature, valid?.keyTag ?? keyTag)
                validAlgorithms.insert(algorithm)
                if required.isEmpty || validAlgorithms.isSuperset(of: required) {
                    // `valid` was just set.
                    return .verified(ttl: valid?.ttl ?? ttl, signature: valid?.signature ?? signature, keyTag: valid?.keyTag ?? keyTag)
                }
            case .failure(let failure):
                if failure.rank > (best?.rank ?? -1) { best = (failure.rank, failure.reason) }
                if failure.rank > (bestByAlgorithm[algorithm]?.rank ?? -1) {
                    bestByAlgorithm[algorithm] = (failure.rank, failure.reason)
                }
            }
        }
        if !required.isEmpty, let missing = required.subtracting(validAlgorithms).sorted().first {
            if let reason = bestByAlgorithm[missing]?.reason { return .failed(reason) }
            return .failed(ValidationReason(
                .rrsigsMissing, "no RRSIG of algorithm \(missing) covers \(rrset.owner.presentation) \(rrset.type)"))
        }
        return .failed(best?.reason ?? ValidationReason(.dnssecBogus, "no valid signature"))
    }

    /// A failed check of one signature; `rank` says how far it got, so the reason reported is
    /// that of the signature closest to being valid.
    struct Failure: Error {
        var rank: Int
        var reason: ValidationReason
    }

    /// The most public-key operations spent on one RRset. Colliding key tags and piles of
    /// RRSIGs must not turn one answer into thousands of verifications (CVE-2023-50387,
    /// "KeyTrap"); honest zones need one or two.
    public static let maxSignatureChecks = 8

    static func check(
        _ signature: RRSIG, rrset: RRset, rdatas: [[UInt8]], keys: ZoneKeySet, now: UInt32, budget: inout Int,
        lookupBudget: ResponseBudget? = nil
    ) -> Result<UInt16, Failure> {
        // Built only when a check fails: formatting names is slow next to a cached verify.
        var what: String {
            "RRSIG \(signature.typeCovered) \(signature.algorithm.rawValue) \(signature.keyTag) over \(rrset.owner.presentation) \(rrset.type)"
        }
        guard signature.typeCovered == rrset.type else {
            return .failure(Failure(rank: 0, reason: ValidationReason(.dnssecBogus, "\(what): type covered is not \(rrset.type)")))
        }
        guard signature.signerName == keys.zone else {
            return .failure(Failure(rank: 1, reason: ValidationReason(
                .dnssecBogus, "\(what): signer \(signature.signerName.presentation) is not the zone \(keys.zone.presentation)")))
        }
        guard rrset.owner.isSubdomain(of: signature.signerName) else {
            return .failure(Failure(rank: 1, reason: ValidationReason(
                .dnssecBogus, "\(what): owner is not at or below the signer \(signature.signerName.presentation)")))
        }
        guard Int(signature.labels) <= rrset.owner.rrsigLabelCount else {
            return .failure(Failure(rank: 2, reason: ValidationReason(
                .dnssecBogus, "\(what): Labels \(signature.labels) is more than the owner's \(rrset.owner.rrsigLabelCount)")))
        }
        switch SignatureTime.position(now: now, inception: signature.inception, expiration: signature.expiration) {
        case .valid:
            break
        case .notYetValid:
            return .failure(Failure(rank: 3, reason: ValidationReason(
                .signatureNotYetValid, "\(what): not valid before \(DNSSECTime.format(signature.inception))")))
        case .expired:
            return .failure(Failure(rank: 3, reason: ValidationReason(
                .signatureExpired, "\(what): expired at \(DNSSECTime.format(signature.expiration))")))
        case .expiredBeforeValid:
            return .failure(Failure(rank: 3, reason: ValidationReason(
                .signatureExpiredBeforeValid, "\(what): expires before its inception")))
        }
        let candidates = keys.candidates(keyTag: signature.keyTag, algorithm: signature.algorithm.rawValue)
        guard !candidates.isEmpty else {
            return .failure(Failure(rank: 4, reason: ValidationReason(
                .dnskeyMissing, "\(what): no DNSKEY with key tag \(signature.keyTag) and algorithm \(signature.algorithm.rawValue)")))
        }
        let usable = candidates.filter(\.isUsableZoneKey)
        guard !usable.isEmpty else {
            return .failure(Failure(rank: 5, reason: ValidationReason(
                .noZoneKeyBitSet, "\(what): DNSKEY \(signature.keyTag) is not a usable zone key (flags, protocol or revoked)")))
        }
        guard DNSSECValidationSupport.isSupported(algorithm: signature.algorithm.rawValue) else {
            return .failure(Failure(rank: 5, reason: ValidationReason(
                .unsupportedDNSKEYAlgorithm, "\(what): algorithm \(signature.algorithm.rawValue) is not supported")))
        }
        let signedData: [UInt8]
        do {
            signedData = try RRSIGSignedData.bytes(
                rrsig: try signature.wireRDATA(), owner: rrset.owner, rrClass: rrset.rrClass, rdatas: rdatas)
        } catch {
            return .failure(Failure(rank: 2, reason: ValidationReason(.dnssecBogus, "\(what): \(error)")))
        }
        var keyProblem: String? = nil
        for key in usable {
            guard let publicKey = key.publicKey else {
                keyProblem = key.keyError.map { "\($0)" } ?? "unusable key"
                continue
            }
            guard budget > 0 else {
                return .failure(Failure(rank: 8, reason: ValidationReason(
                    .dnssecBogus, "\(what): more than \(maxSignatureChecks) signature checks for one RRset")))
            }
            if let lookupBudget, !lookupBudget.spendSignatureCheck() {
                return .failure(Failure(rank: 8, reason: lookupBudget.exhausted ?? ValidationReason(.dnssecBogus, "validation budget exceeded")))
            }
            budget -= 1
            if publicKey.verify(signature: signature.signature, signedData: signedData) {
                return .success(key.keyTag)
            }
        }
        if let keyProblem {
            return .failure(Failure(rank: 6, reason: ValidationReason(.dnssecBogus, "\(what): DNSKEY unusable: \(keyProblem)")))
        }
        return .failure(Failure(rank: 7, reason: ValidationReason(.dnssecBogus, "\(what): signature does not verify")))
    }
}
