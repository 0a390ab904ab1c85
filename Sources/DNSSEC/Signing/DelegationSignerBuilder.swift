import Cryptography
import DNSWire

/// DS records for a DNSKEY (RFC 4034 §5.1.4; SHA-256 by RFC 4509, SHA-384 by RFC 6605).
public enum DelegationSignerBuilder {
    /// The DS RDATA for the DNSKEY `dnskey` owned by `owner`.
    public static func ds(owner: Name, dnskey: DNSKEY, digestType: DigestType) throws(ZoneSigningError) -> DS {
        let rdata: [UInt8]
        do {
            rdata = try dnskey.wireRDATA()
        } catch {
            throw ZoneSigningError(.badKey, "cannot encode the DNSKEY: \(error)")
        }
        let digest: [UInt8]
        do {
            digest = try DSDigest.compute(
                type: digestType, ownerName: owner.lowercased().wire, dnskeyRDATA: rdata)
        } catch {
            throw ZoneSigningError(.badParameters, "DS digest type \(digestType): \(error)")
        }
        return DS(
            keyTag: KeyTag.of(dnskeyRDATA: rdata), algorithm: dnskey.algorithm, digestType: digestType, digest: digest)
    }
}
