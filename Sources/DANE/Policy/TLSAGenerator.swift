import Cryptography
import DNSWire
import TLS

/// TLSA records from a certificate (RFC 6698 §2.1): the selector picks the full DER certificate
/// (0) or its SubjectPublicKeyInfo (1); the matching type keeps those bytes (0) or hashes them
/// with SHA-256 (1) or SHA-512 (2). The same as hash-slinger's `tlsa --create`.
public enum TLSAGenerator {
    /// The bytes `selector` picks from `certificate`, or nil for an unknown selector.
    public static func selectedBytes(_ certificate: X509Certificate, selector: TLSA.Selector) -> [UInt8]? {
        switch selector {
        case .fullCertificate: certificate.derBytes
        case .subjectPublicKeyInfo: certificate.subjectPublicKeyInfoDER
        case .privateUse, .unassigned: nil
        }
    }

    /// `bytes` as `matchingType` stores them, or nil for an unknown matching type.
    public static func matchingData(_ bytes: [UInt8], matchingType: TLSA.MatchingType) -> [UInt8]? {
        switch matchingType {
        case .exact: bytes
        case .sha256: MessageDigest.hash(.sha256, bytes)
        case .sha512: MessageDigest.hash(.sha512, bytes)
        case .privateUse, .unassigned: nil
        }
    }

    /// The association data for `certificate`, or nil for an unknown selector or matching type.
    public static func associationData(
        _ certificate: X509Certificate, selector: TLSA.Selector, matchingType: TLSA.MatchingType
    ) -> [UInt8]? {
        guard let selected = selectedBytes(certificate, selector: selector), !selected.isEmpty else { return nil }
        return matchingData(selected, matchingType: matchingType)
    }

    /// A TLSA record for `certificate`; nil for an unknown selector or matching type.
    public static func record(
        for certificate: X509Certificate, usage: TLSA.CertificateUsage, selector: TLSA.Selector,
        matchingType: TLSA.MatchingType
    ) -> TLSA? {
        guard let data = associationData(certificate, selector: selector, matchingType: matchingType) else { return nil }
        return TLSA(usage: usage, selector: selector, matchingType: matchingType, associationData: data)
    }
}
