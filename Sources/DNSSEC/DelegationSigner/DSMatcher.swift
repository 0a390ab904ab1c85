import Cryptography
import DNSWire

/// Matching DS records to DNSKEYs (RFC 4034 §5.1, RFC 4035 §5.2).
public enum DSMatcher {
    /// True when `ds` names `key` of the zone `owner`: same key tag and algorithm, and the
    /// digest over the canonical owner name and the DNSKEY RDATA (RFC 4034 §5.1.4) is equal.
    /// A DS of an unsupported digest type never matches.
    public static func matches(_ ds: DS, key: ZoneKey, owner: Name) -> Bool {
        guard ds.keyTag == key.keyTag, ds.algorithm.rawValue == key.algorithm else { return false }
        return DSDigest.matches(
            ds.digest, type: ds.digestType,
            ownerName: owner.lowercased().wire, dnskeyRDATA: key.rdata)
    }

    /// The DS records a validator uses (RFC 4035 §5.2, RFC 4509 §3): those of a digest type
    /// and an algorithm we implement, and no SHA-1 ones when the set also has a SHA-256 DS
    /// ("Validator implementations SHOULD ignore DS RRs containing SHA-1 digests if DS RRs with
    /// SHA-256 digests are present in the DS RRset").
    public static func usable(_ dsSet: [DS]) -> [DS] {
        let supported = dsSet.filter {
            DNSSECValidationSupport.isSupported(digestType: $0.digestType.rawValue)
                && DNSSECValidationSupport.isSupported(algorithm: $0.algorithm.rawValue)
        }
        let hasSHA256 = supported.contains { $0.digestType == .sha256 }
        return hasSHA256 ? supported.filter { $0.digestType != .sha1 } : supported
    }

    /// Why a DS set has no usable member: RFC 8914 code 1 when every algorithm is unknown to us,
    /// code 2 when every digest type is.
    static func unusableReason(_ dsSet: [DS], zone: Name) -> ValidationReason {
        let anyAlgorithm = dsSet.contains { DNSSECValidationSupport.isSupported(algorithm: $0.algorithm.rawValue) }
        if !anyAlgorithm {
            let list = Set(dsSet.map(\.algorithm.rawValue)).sorted().map(String.init).joined(separator: ", ")
            return ValidationReason(
                .unsupportedDNSKEYAlgorithm,
                "the DS set of \(zone.presentation) uses only unsupported algorithms (\(list))")
        }
        let list = Set(dsSet.map(\.digestType.rawValue)).sorted().map(String.init).joined(separator: ", ")
        return ValidationReason(
            .unsupportedDSDigestType, "the DS set of \(zone.presentation) uses only unsupported digest types (\(list))")
    }
}
