/// The exact octets an RRSIG's signature covers (RFC 4034 §3.1.8.1):
///
///     signed data = RRSIG_RDATA | RR(1) | RR(2) | ...
///
/// where RRSIG_RDATA is the RRSIG RDATA without the Signature field and with the Signer's Name
/// in canonical (lower-case) form, and RR(i) are the records of the RRset in canonical form and
/// order (RFC 4034 §6.2-6.3), each carrying the RRSIG's Original TTL rather than its own.
///
/// Wildcards (RFC 4035 §5.3.2): when the RRSIG Labels field is smaller than the owner's label
/// count (RFC 4034 §3.1.3, root and a leading `*` not counted), the RRset was synthesised from a
/// wildcard, and the owner is rewritten to `*.` followed by the rightmost Labels labels of the
/// owner. A Labels field larger than the owner's count cannot have signed this RRset.
public enum RRSIGSignedData {
    /// The fixed part of RRSIG RDATA before the Signer's Name (RFC 4034 §3.1): type covered (2),
    /// algorithm (1), labels (1), original TTL (4), expiration (4), inception (4), key tag (2).
    static let fixedFieldsLength = 18

    /// The signed data for the RRSIG RDATA `rrsig` over `rrset`, whose type must be the
    /// RRSIG's Type Covered. `rrset.owner` is the owner as received (possibly a wildcard
    /// expansion); its TTL is ignored in favour of the RRSIG's Original TTL.
    public static func bytes(rrsig: any RDATA, rrset: RRset) throws(DNSWireError) -> [UInt8] {
        guard rrsig.rrType == .rrsig else {
            throw DNSWireError(.badRDATA, "\(rrsig.rrType) RDATA given where an RRSIG was expected")
        }
        let rrsigWire = try rrsig.wireRDATA()
        guard rrsigWire.count >= 2, RRType(UInt16(rrsigWire[0]) << 8 | UInt16(rrsigWire[1])) == rrset.type else {
            throw DNSWireError(.badRDATA, "the RRSIG does not cover type \(rrset.type)")
        }
        return try bytes(rrsig: rrsigWire, owner: rrset.owner, rrClass: rrset.rrClass, rdatas: rrset.wireRDATA())
    }

    /// The signed data for `rrsig` (its RDATA in uncompressed wire form) over the RRset of
    /// `owner` and `rrClass` whose records' RDATA (uncompressed wire form) are `rdatas`. The
    /// type of the RRset is the RRSIG's Type Covered field.
    public static func bytes(
        rrsig: [UInt8], owner: Name, rrClass: RRClass, rdatas: [[UInt8]]
    ) throws(DNSWireError) -> [UInt8] {
        guard rrsig.count > fixedFieldsLength else {
            throw DNSWireError(.truncated, "RRSIG RDATA of \(rrsig.count) octets is too short")
        }
        let typeCovered = RRType(UInt16(rrsig[0]) << 8 | UInt16(rrsig[1]))
        let labels = Int(rrsig[3])
        let originalTTL = rrsig[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }

        // RRSIG_RDATA: the fixed fields, then the signer's name lower-cased; the signature is left out.
        var signed = Array(rrsig[0..<fixedFieldsLength])
        let signer = try signerName(in: rrsig)
        signed.append(contentsOf: signer.lowercased().wire)

        let signedOwner = try RRSIGSignedData.signedOwner(owner, labels: labels)
        signed.append(
            contentsOf: try CanonicalRRsetForm.wire(
                owner: signedOwner, type: typeCovered, rrClass: rrClass, ttl: originalTTL, rdatas: rdatas))
        return signed
    }

    /// The owner name as it was signed: `owner` itself, or for a wildcard expansion the
    /// wildcard it came from (RFC 4035 §5.3.2).
    public static func signedOwner(_ owner: Name, labels: Int) throws(DNSWireError) -> Name {
        let ownerLabels = owner.rrsigLabelCount
        if labels == ownerLabels { return owner }
        guard labels < ownerLabels, let closest = owner.ancestor(labelCount: labels) else {
            throw DNSWireError(
                .badRDATA, "RRSIG Labels \(labels) is more than the \(ownerLabels) labels of the owner")
        }
        return try closest.wildcard()
    }

    /// The Signer's Name field: an uncompressed name right after the fixed fields.
    private static func signerName(in rrsig: [UInt8]) throws(DNSWireError) -> Name {
        var end = fixedFieldsLength
        while end < rrsig.count {
            let length = Int(rrsig[end])
            if length == 0 {
                return try Name(wire: Array(rrsig[fixedFieldsLength...end]))
            }
            guard length <= Name.maxLabelLength else {
                throw DNSWireError(.badRDATA, "bad label in the RRSIG Signer's Name")
            }
            end += 1 + length
        }
        throw DNSWireError(.truncated, "RRSIG Signer's Name runs past the RDATA")
    }
}
