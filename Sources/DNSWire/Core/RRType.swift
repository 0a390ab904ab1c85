/// A resource record TYPE (RFC 1035 §3.2.2 and the IANA registry): a 16-bit code point,
/// total over all values, with named constants for the known ones.
///
/// Mnemonics convert both ways; any value prints as its mnemonic or as `TYPEnnn`
/// (RFC 3597 §5), and `TYPEnnn` is accepted for every value.
public struct RRType: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = RRType(1)
    public static let ns = RRType(2)
    public static let md = RRType(3)
    public static let mf = RRType(4)
    public static let cname = RRType(5)
    public static let soa = RRType(6)
    public static let mb = RRType(7)
    public static let mg = RRType(8)
    public static let mr = RRType(9)
    public static let null = RRType(10)
    public static let wks = RRType(11)
    public static let ptr = RRType(12)
    public static let hinfo = RRType(13)
    public static let minfo = RRType(14)
    public static let mx = RRType(15)
    public static let txt = RRType(16)
    public static let rp = RRType(17)
    public static let afsdb = RRType(18)
    public static let rt = RRType(21)
    public static let sig = RRType(24)
    public static let key = RRType(25)
    public static let px = RRType(26)
    public static let aaaa = RRType(28)
    public static let loc = RRType(29)
    public static let nxt = RRType(30)
    public static let srv = RRType(33)
    public static let naptr = RRType(35)
    public static let kx = RRType(36)
    public static let cert = RRType(37)
    public static let a6 = RRType(38)
    public static let dname = RRType(39)
    public static let opt = RRType(41)
    public static let apl = RRType(42)
    public static let ds = RRType(43)
    public static let sshfp = RRType(44)
    public static let ipseckey = RRType(45)
    public static let rrsig = RRType(46)
    public static let nsec = RRType(47)
    public static let dnskey = RRType(48)
    public static let dhcid = RRType(49)
    public static let nsec3 = RRType(50)
    public static let nsec3param = RRType(51)
    public static let tlsa = RRType(52)
    public static let smimea = RRType(53)
    public static let cds = RRType(59)
    public static let cdnskey = RRType(60)
    public static let openpgpkey = RRType(61)
    public static let csync = RRType(62)
    public static let zonemd = RRType(63)
    public static let svcb = RRType(64)
    public static let https = RRType(65)
    public static let spf = RRType(99)
    public static let tkey = RRType(249)
    public static let tsig = RRType(250)
    public static let ixfr = RRType(251)
    public static let axfr = RRType(252)
    public static let any = RRType(255)
    public static let uri = RRType(256)
    public static let caa = RRType(257)

    /// The registry mnemonics we know (IANA "Resource Record (RR) TYPEs").
    static let mnemonics: [UInt16: String] = [
        1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA", 7: "MB", 8: "MG", 9: "MR",
        10: "NULL", 11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX", 16: "TXT", 17: "RP",
        18: "AFSDB", 19: "X25", 20: "ISDN", 21: "RT", 22: "NSAP", 23: "NSAP-PTR", 24: "SIG",
        25: "KEY", 26: "PX", 27: "GPOS", 28: "AAAA", 29: "LOC", 30: "NXT", 31: "EID",
        32: "NIMLOC", 33: "SRV", 34: "ATMA", 35: "NAPTR", 36: "KX", 37: "CERT", 38: "A6",
        39: "DNAME", 40: "SINK", 41: "OPT", 42: "APL", 43: "DS", 44: "SSHFP", 45: "IPSECKEY",
        46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 49: "DHCID", 50: "NSEC3", 51: "NSEC3PARAM",
        52: "TLSA", 53: "SMIMEA", 55: "HIP", 56: "NINFO", 57: "RKEY", 58: "TALINK", 59: "CDS",
        60: "CDNSKEY", 61: "OPENPGPKEY", 62: "CSYNC", 63: "ZONEMD", 64: "SVCB", 65: "HTTPS",
        99: "SPF", 104: "NID", 105: "L32", 106: "L64", 107: "LP", 108: "EUI48", 109: "EUI64",
        249: "TKEY", 250: "TSIG", 251: "IXFR", 252: "AXFR", 253: "MAILB", 254: "MAILA", 255: "ANY",
        256: "URI", 257: "CAA", 258: "AVC", 259: "DOA", 260: "AMTRELAY", 261: "RESINFO",
        32768: "TA", 32769: "DLV",
    ]

    static let byMnemonic: [String: UInt16] = {
        var table: [String: UInt16] = [:]
        for (value, name) in mnemonics { table[name] = value }
        return table
    }()

    /// The mnemonic, or `TYPEnnn` for values without one.
    public var mnemonic: String { RRType.mnemonics[rawValue] ?? "TYPE\(rawValue)" }

    public var description: String { mnemonic }

    /// Reads a mnemonic (case-insensitive) or `TYPEnnn`.
    public init?(mnemonic text: String) {
        let upper = text.uppercased()
        if let value = RRType.byMnemonic[upper] {
            self.init(value)
        } else if let value = parseGenericCode(upper, prefix: "TYPE") {
            self.init(value)
        } else {
            return nil
        }
    }

    /// Meta-types and QTYPEs (RFC 6895 §3.1) that never appear as data in a zone.
    public var isMetaType: Bool {
        rawValue == 41 || (rawValue >= 128 && rawValue <= 255)
    }

    public static func < (lhs: RRType, rhs: RRType) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Parses `PREFIXnnn` (e.g. `TYPE1234`, `CLASS3`) with a decimal value 0...65535.
func parseGenericCode(_ text: String, prefix: String) -> UInt16? {
    guard text.hasPrefix(prefix) else { return nil }
    let digits = text.utf8.dropFirst(prefix.utf8.count)
    guard !digits.isEmpty, digits.count <= 5, digits.allSatisfy({ isDigit($0) }) else { return nil }
    var value = 0
    for digit in digits { value = value * 10 + Int(digit - 0x30) }
    return value <= 0xFFFF ? UInt16(value) : nil
}
