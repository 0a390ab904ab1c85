/// The key tag of a DNSKEY (RFC 4034 Appendix B), the 16-bit hint RRSIG and DS records use
/// to name the key. It is not unique: several keys may share a tag, so the validator tries
/// every key with a matching tag.
public enum KeyTag {
    /// The key tag of DNSKEY RDATA (flags, protocol, algorithm, public key, as on the wire).
    ///
    /// For algorithm 1 (RSA/MD5) RFC 4034 Appendix B.1 takes the tag from the modulus instead:
    /// the most significant 16 of its least significant 24 bits, i.e. the third- and
    /// second-to-last octets of the RDATA. RDATA too short for that gives 0.
    public static func of(dnskeyRDATA rdata: some Collection<UInt8>) -> UInt16 {
        let octets = Array(rdata)
        if octets.count >= 4, octets[3] == 1 {
            guard octets.count >= 4 + 3 else { return 0 }
            return UInt16(octets[octets.count - 3]) << 8 | UInt16(octets[octets.count - 2])
        }
        // Appendix B: sum the RDATA as big-endian 16-bit words, then fold the carry once.
        var accumulator: UInt32 = 0
        for (index, octet) in octets.enumerated() {
            accumulator &+= index & 1 == 0 ? UInt32(octet) << 8 : UInt32(octet)
        }
        accumulator &+= (accumulator >> 16) & 0xffff
        return UInt16(truncatingIfNeeded: accumulator)
    }
}
