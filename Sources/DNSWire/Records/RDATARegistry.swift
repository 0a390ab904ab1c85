/// Maps a TYPE to its RDATA decoder and presentation parser; types not listed stay
/// `UnknownRDATA` (RFC 3597).
public enum RDATARegistry {
    /// The concrete type for `type`, or nil when it is handled as unknown.
    public static func knownType(for type: RRType) -> (any KnownRDATA.Type)? {
        switch type.rawValue {
        case 1: A.self
        case 2: NS.self
        case 5: CNAME.self
        case 6: SOA.self
        case 12: PTR.self
        case 13: HINFO.self
        case 15: MX.self
        case 16: TXT.self
        case 17: RP.self
        case 18: AFSDB.self
        case 28: AAAA.self
        case 33: SRV.self
        case 35: NAPTR.self
        case 36: KX.self
        case 39: DNAME.self
        case 41: OPT.self
        case 43: DS.self
        case 44: SSHFP.self
        case 46: RRSIG.self
        case 47: NSEC.self
        case 48: DNSKEY.self
        case 50: NSEC3.self
        case 51: NSEC3PARAM.self
        case 52: TLSA.self
        case 59: CDS.self
        case 60: CDNSKEY.self
        case 61: OPENPGPKEY.self
        case 63: ZONEMD.self
        case 64: SVCB.self
        case 65: HTTPS.self
        case 99: SPF.self
        case 257: CAA.self
        default: nil
        }
    }

    /// Decodes RDATA of `type` from `reader`, using exactly `length` octets.
    public static func decode(type: RRType, from reader: inout DNSReader, length: Int) throws(DNSWireError) -> any RDATA {
        guard let known = knownType(for: type) else {
            return UnknownRDATA(type: type, data: try reader.readBytes(length))
        }
        return try reader.withLimit(length, "\(type) RDATA") { (inner: inout DNSReader) throws(DNSWireError) -> any RDATA in
            try known.init(from: &inner)
        }
    }

    /// Decodes stand-alone RDATA bytes (no compression possible).
    public static func decode(type: RRType, rdata: [UInt8]) throws(DNSWireError) -> any RDATA {
        var reader = DNSReader(rdata)
        return try decode(type: type, from: &reader, length: rdata.count)
    }

    /// Parses RDATA fields in presentation format. The RFC 3597 generic form
    /// `\# <length> <hex>` is accepted for every type; for a known type the bytes are then
    /// decoded into the typed value.
    public static func parse(type: RRType, tokens: [PresentationToken], origin: Name?) throws(DNSWireError) -> any RDATA {
        var reader = PresentationReader(tokens: tokens, origin: origin)
        if let first = tokens.first, !first.isQuoted, first.text == [0x5C, 0x23] {  // "\#"
            _ = try reader.next("\\#")
            let lengthToken = reader.peek
            let length = Int(try reader.unsigned("RDATA length", max: 65535))
            let data = try reader.remainingHex("RDATA", allowEmpty: true)
            guard data.count == length else {
                throw reader.error(.badRDATA, "\\# says \(length) octets but the hex has \(data.count)", at: lengthToken)
            }
            do {
                return try decode(type: type, rdata: data)
            } catch {
                var located = error
                located.line = lengthToken?.line
                located.column = lengthToken?.column
                throw located
            }
        }
        guard let known = knownType(for: type) else {
            throw reader.error(.badSyntax, "type \(type) has no presentation format of its own; use \\# <length> <hex>")
        }
        let value = try known.init(presentation: &reader)
        try reader.finish()
        return value
    }
}

/// Parses RDATA in presentation format (see `RDATARegistry.parse`).
public func parseRDATA(type: RRType, tokens: [PresentationToken], origin: Name?) throws(DNSWireError) -> any RDATA {
    try RDATARegistry.parse(type: type, tokens: tokens, origin: origin)
}
