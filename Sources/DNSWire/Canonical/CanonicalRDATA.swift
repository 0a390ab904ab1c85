/// The RDATA part of the canonical RR form (RFC 4034 §6.2 item 3, as corrected by RFC 6840 §5.1).
///
/// RDATA is handled as its uncompressed wire bytes: names inside it are already fully expanded
/// (item 1) when the wire helper writes RDATA without compression, so all that is left is to
/// lower-case the ASCII letters of the embedded domain names for the types RFC 4034 lists:
/// NS, MD, MF, CNAME, SOA, MB, MG, MR, PTR, MINFO, MX, RP, AFSDB, RT, SIG, PX, NXT, NAPTR, KX,
/// SRV, DNAME, A6 and RRSIG. RFC 6840 §5.1 takes NSEC out of that list (its next name keeps its
/// case) and HINFO too (it holds no names). Every other type, including unknown ones (RFC 3597
/// §7), is used exactly as is.
public enum CanonicalRDATA {
    /// True when the canonical form of `type` lower-cases names in its RDATA.
    public static func lowercasesNames(of type: RRType) -> Bool {
        layout(of: type) != nil
    }

    /// The canonical RDATA of `rdata` (uncompressed wire form) for a record of `type`.
    ///
    /// RDATA that does not have the type's layout (it cannot come from a valid record) is
    /// lower-cased as far as the layout could be followed and returned otherwise unchanged.
    public static func canonical(_ rdata: [UInt8], type: RRType) -> [UInt8] {
        guard let fields = layout(of: type) else { return rdata }
        var bytes = rdata
        var offset = 0
        for field in fields {
            switch field {
            case .fixed(let count):
                offset += count
            case .characterString:
                guard offset < bytes.count else { return bytes }
                offset += 1 + Int(bytes[offset])
            case .name:
                guard let end = lowercaseName(in: &bytes, at: offset) else { return bytes }
                offset = end
            case .a6Suffix:
                // RFC 2874 §3.1: prefix length, then (128 - length) / 8 rounded up address
                // octets, then the prefix name only when the length is not 0.
                guard offset < bytes.count, bytes[offset] <= 128 else { return bytes }
                let prefixLength = Int(bytes[offset])
                offset += 1 + (128 - prefixLength + 7) / 8
                if prefixLength == 0 { return bytes }
            }
            if offset > bytes.count { return bytes }
        }
        return bytes
    }

    /// Lower-cases the uncompressed name starting at `offset`; returns the offset after it, or
    /// nil if no complete name starts there.
    private static func lowercaseName(in bytes: inout [UInt8], at offset: Int) -> Int? {
        var index = offset
        while index < bytes.count {
            let length = Int(bytes[index])
            if length == 0 { return index + 1 }
            guard length <= Name.maxLabelLength, index + length < bytes.count else { return nil }
            for i in (index + 1)...(index + length) where bytes[i] >= 0x41 && bytes[i] <= 0x5A {
                bytes[i] += 0x20
            }
            index += length + 1
        }
        return nil
    }

    private enum Field {
        case fixed(Int)
        case characterString
        case name
        case a6Suffix
    }

    /// The fields up to and including the last embedded name, for the types whose names are
    /// lower-cased; nil for every other type.
    private static func layout(of type: RRType) -> [Field]? {
        switch type {
        case .ns, .md, .mf, .cname, .mb, .mg, .mr, .ptr, .dname:
            return [.name]
        case .soa, .minfo, .rp:
            return [.name, .name]
        case .mx, .afsdb, .rt, .kx:
            return [.fixed(2), .name]
        case .px:
            return [.fixed(2), .name, .name]
        case .srv:
            return [.fixed(6), .name]
        case .naptr:
            return [.fixed(4), .characterString, .characterString, .characterString, .name]
        case .sig, .rrsig:
            // Type covered, algorithm, labels, original TTL, expiration, inception, key tag.
            return [.fixed(18), .name]
        case .nxt:
            return [.name]
        case .a6:
            return [.a6Suffix, .name]
        default:
            return nil
        }
    }
}
