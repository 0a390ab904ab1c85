/// A deterministic corpus of zone files for the differential tests: every type the wire layer
/// knows plus unknown ones (RFC 3597), names and strings with odd escapes, and the master-file
/// forms a parser must handle (omitted owner and TTL, TTL and class in either order,
/// parentheses over lines, comments, `$ORIGIN`, `$TTL`, generic `\#` RDATA for known types).
///
/// Every RRset gets one TTL, CNAME, DNAME and NSEC records each have an owner of their own, and
/// every owner is inside the zone, so peers that normalise zones (dnspython merges RRsets and
/// keeps one record of those types) see the same records we do.
struct ZoneFileCorpus {
    var random: ZoneTestRandom
    /// Leave out what ldns 1.8 cannot take (our parser, BIND and dnspython all do):
    /// - `<class> <TTL>` order (RFC 1035 §5.1 allows it; ldns says "could not parse the RR's rdata");
    /// - `\"` and `\$` in names: ldns-read-zone prints them unescaped, so its output is no longer
    ///   a valid master file (a `"` starts a quoted string, a leading `$` a directive);
    /// - a relative `$ORIGIN`: ldns takes `$ORIGIN sub` as `sub.`, not below the current origin;
    /// - RRSIG without a TTL: ldns gives it the RRSIG's Original TTL, not the `$TTL` default
    ///   (RFC 2308 §4; dnspython and BIND use `$TTL`).
    var forLDNS: Bool

    init(seed: UInt64, forLDNS: Bool = false) {
        random = ZoneTestRandom(seed: seed)
        self.forLDNS = forLDNS
    }

    struct Zone {
        var origin: String
        var text: String
    }

    // MARK: small pieces

    private mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
    private mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }
    private mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    private mutating func hex(_ count: Int) -> String {
        (0..<count).map { _ in ZoneTestHelpers.hex([UInt8(int(0...255))]) }.joined()
    }

    private mutating func base64(_ count: Int) -> String {
        Self.base64((0..<count).map { _ in UInt8(int(0...255)) })
    }

    /// An ECHConfigList (RFC 9460 §7.3): a 2-octet length, then one ECHConfig (version 0xfe0d,
    /// 2-octet length, contents). dnspython checks the outer length.
    private mutating func echConfigList() -> String {
        let contents = (0..<int(4...30)).map { _ in UInt8(int(0...255)) }
        let config: [UInt8] = [0xFE, 0x0D, 0, UInt8(contents.count)] + contents
        return Self.base64([0, UInt8(config.count)] + config)
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var out = ""
        var i = 0
        while i < bytes.count {
            let chunk = Array(bytes[i..<min(i + 3, bytes.count)])
            let value = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for j in 0...chunk.count { out.append(alphabet[(value >> (18 - 6 * j)) & 63]) }
            out += String(repeating: "=", count: 3 - chunk.count)
            i += 3
        }
        return out
    }

    private mutating func base32hex(_ count: Int) -> String {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuv")
        // count is a multiple of 5 bytes: 8 characters per 5 bytes, no padding.
        return String((0..<(count / 5 * 8)).map { _ in alphabet[int(0...31)] })
    }

    /// One label in presentation form, sometimes with escapes that must survive every parser.
    private mutating func label() -> String {
        let plain = Array("abcxyzABCXYZ0189-_")
        let escapes =
            ["\\.", "\\\\", "\\(", "\\)", "\\;", "\\@", "\\ ", "\\032", "\\000", "\\255", "\\127", "\\065", "\\200"]
            + (forLDNS ? [] : ["\\\"", "\\$"])
        var text = ""
        for _ in 0..<int(1...6) {
            text += chance(12) ? pick(escapes) : String(pick(plain))
        }
        return text
    }

    /// A name relative to the origin (1-3 labels), or sometimes absolute under `absoluteSuffix`.
    private mutating func name(relativeTo origin: String) -> String {
        if chance(5) { return "@" }
        let labels = (0..<int(1...3)).map { _ in label() }.joined(separator: ".")
        return chance(30) ? labels + "." + origin : labels
    }

    private mutating func ttl() -> String {
        chance(20) ? pick(["1h", "30m", "1h30m", "2d", "1w", "90s"]) : String(int(0...604_800))
    }

    private mutating func ipv4() -> String { (0..<4).map { _ in String(int(0...255)) }.joined(separator: ".") }

    private mutating func ipv6() -> String {
        switch int(0...3) {
        case 0: return "::1"
        case 1: return "2001:db8::\(String(int(0...0xFFFF), radix: 16))"
        case 2: return "::ffff:\(ipv4())"
        default: return (0..<8).map { _ in String(int(0...0xFFFF), radix: 16) }.joined(separator: ":")
        }
    }

    /// A <character-string> (RFC 1035 §5.1): quoted with escapes, or unquoted, or empty.
    private mutating func characterString() -> String {
        switch int(0...4) {
        case 0: return "\"\""
        case 1: return "plain\\;semi\\\"q" + String(int(0...9))
        case 2: return "\"\\\\back \\\"quote\\\" ; (paren) \\065\\255\""
        default:
            let words = ["hello", "v=spf1", "a b", "x=y;z", "\\010", "UPPER", "é"]
            return "\"" + (0..<int(1...3)).map { _ in pick(words) }.joined(separator: " ") + "\""
        }
    }

    private static let typeList = [
        "A", "NS", "SOA", "MX", "TXT", "AAAA", "SRV", "NAPTR", "DS", "SSHFP", "RRSIG", "NSEC", "DNSKEY",
        "NSEC3", "NSEC3PARAM", "TLSA", "CDS", "CDNSKEY", "SVCB", "HTTPS", "CAA", "TYPE1234", "TYPE65000",
    ]

    private mutating func typeBitmap() -> String {
        Set((0..<int(0...6)).map { _ in pick(Self.typeList) }).sorted().joined(separator: " ")
    }

    private mutating func svcParams() -> String {
        var params: [String] = []
        var keys: [String] = []
        if chance(70) {
            params.append("alpn=" + pick(["h2", "h2,h3", "\"h3,http/1.1\""]))
            keys.append("alpn")
            if chance(30) { params.append("no-default-alpn") }
        }
        if chance(60) { params.append("port=\(int(0...65535))"); keys.append("port") }
        if chance(50) { params.append("ipv4hint=\(ipv4()),\(ipv4())") }
        if chance(40) { params.append("ipv6hint=\(ipv6())") }
        if chance(30) { params.append("ech=\(echConfigList())") }
        if chance(20) { params.append("key65333=\"x y\"") }
        if !keys.isEmpty && chance(40) { params.append("mandatory=" + keys.joined(separator: ",")) }
        return params.shuffled(using: &random).joined(separator: " ")
    }

    /// The RDATA text of a record of `type`, and for RRSIG the covered type (which keys the TTL).
    private mutating func rdata(_ type: String, origin: String) -> (text: String, detail: String) {
        switch type {
        case "A": return (chance(10) ? "\\# 4 \(hex(4))" : ipv4(), "")
        case "AAAA": return (ipv6(), "")
        case "NS", "CNAME", "DNAME", "PTR": return (name(relativeTo: origin), "")
        case "MX": return ("\(int(0...65535)) \(name(relativeTo: origin))", "")
        case "TXT":
            if chance(10) { return ("\\# 6 05\(hex(5))", "") }
            return ((0..<int(1...3)).map { _ in characterString() }.joined(separator: " "), "")
        case "SRV":
            return ("\(int(0...65535)) \(int(0...65535)) \(int(0...65535)) \(name(relativeTo: origin))", "")
        case "NAPTR":
            return (
                "\(int(0...65535)) \(int(0...65535)) \"\(pick(["U", "S", "a", ""]))\" \"E2U+sip\" "
                    + "\"!^.*$!sip:info@example.com!\" \(chance(50) ? "." : name(relativeTo: origin))", ""
            )
        case "CAA":
            return (
                "\(pick([0, 128])) \(pick(["issue", "issuewild", "iodef", "Tbs"])) \"\(pick(["ca.example.net", "", "mailto:a@b", "x;y=\\\"z\\\""]))\"",
                ""
            )
        case "SSHFP":
            let fp = int(1...2)
            return ("\(int(1...4)) \(fp) \(hex(fp == 1 ? 20 : 32))", "")
        case "TLSA":
            let matching = int(0...2)
            let length = [int(1...80), 32, 64][matching]
            return ("\(int(0...3)) \(int(0...1)) \(matching) \(hex(length))", "")
        case "DS", "CDS":
            let digestType = pick([1, 2, 4])
            let length = [1: 20, 2: 32, 4: 48][digestType] ?? 32
            return ("\(int(0...65535)) \(pick([8, 13, 15])) \(digestType) \(hex(length))", "")
        case "DNSKEY", "CDNSKEY":
            var key = base64(int(32...96))
            if chance(40) {
                let middle = key.index(key.startIndex, offsetBy: key.count / 2)
                key = "( " + key[..<middle] + " ; half of the key\n\t\t" + key[middle...] + " )"
            }
            return ("\(pick([256, 257, 0])) 3 \(pick([8, 13, 15])) \(key)", "")
        case "RRSIG":
            let covered = pick(Self.typeList)
            let expiration = chance(30) ? String(int(0...2_000_000_000)) : "2030\(String(format2: int(1...12)))15120000"
            let inception = chance(30) ? String(int(0...2_000_000_000)) : "20200101000000"
            return (
                "\(covered) \(pick([8, 13, 15])) \(int(0...4)) \(int(0...86_400)) \(expiration) \(inception) "
                    + "\(int(0...65535)) \(name(relativeTo: origin)) \(base64(int(32...64)))",
                covered
            )
        case "NSEC":
            return ("\(name(relativeTo: origin)) \(typeBitmap())", "")
        case "NSEC3":
            let salt = chance(30) ? "-" : hex(int(1...8))
            return ("1 \(int(0...1)) \(int(0...20)) \(salt) \(base32hex(20)) \(typeBitmap())", "")
        case "NSEC3PARAM":
            return ("1 0 \(int(0...20)) \(chance(30) ? "-" : hex(int(1...8)))", "")
        case "SVCB", "HTTPS":
            if chance(20) { return ("0 \(name(relativeTo: origin))", "") }
            return ("\(int(1...65535)) \(chance(40) ? "." : name(relativeTo: origin)) \(svcParams())", "")
        case "TYPE65280":
            let length = int(0...12)
            return (length == 0 ? "\\# 0" : "\\# \(length) \(hex(length))", "")
        default:
            return ("\\# 0", "")
        }
    }

    private static let recordTypes = [
        "A", "AAAA", "NS", "CNAME", "DNAME", "PTR", "MX", "TXT", "SRV", "NAPTR", "CAA", "SSHFP", "TLSA",
        "SVCB", "HTTPS", "DS", "CDS", "DNSKEY", "CDNSKEY", "RRSIG", "NSEC", "NSEC3", "NSEC3PARAM", "TYPE65280",
    ]

    /// Zone number `index` with about `records` records.
    mutating func zone(index: Int, records: Int) -> Zone {
        let origin = "zone\(index).Example."
        let defaultTTL = 3600
        var lines = ["; generated zone \(index)", "$ORIGIN \(origin)", "$TTL \(defaultTTL)"]
        lines.append("@ IN SOA ns1 hostmaster.\(origin) ( \(int(0...Int(UInt32.max))) ; serial\n\t1h 15m 1w 300 )")
        lines.append("@ NS ns1")
        var owners = (0..<10).map { _ in name(relativeTo: origin) }.filter { $0 != "@" }
        owners.append("@")
        var ttlBySet = ["\(origin.lowercased())|SOA|": String(defaultTTL), "\(origin.lowercased())|NS|": String(defaultTTL)]
        var previousOwner = ""
        var currentOrigin = origin
        for recordIndex in 0..<records {
            if recordIndex == records / 2 {
                // Switch the origin half way: later relative names hang below a sub-origin.
                currentOrigin = "sub.\(origin)"
                lines.append(forLDNS ? "$ORIGIN \(currentOrigin)" : "$ORIGIN sub")
                previousOwner = ""
            }
            let type = pick(Self.recordTypes)
            // dnspython keeps one record of a CNAME, DNAME or NSEC RRset (and drops other data
            // beside a CNAME), so those get an owner of their own.
            let singleton = ["CNAME", "DNAME", "NSEC"].contains(type)
            let owner = singleton ? "single\(recordIndex)-" + label() : pick(owners)
            let (data, detail) = rdata(type, origin: currentOrigin)
            // One TTL per RRset: key by the absolute owner (as text, lower-cased).
            let absoluteOwner =
                owner == "@" ? currentOrigin : owner.hasSuffix(".") ? owner : owner + "." + currentOrigin
            let setKey = "\(absoluteOwner.lowercased())|\(type)|\(detail)"
            let setTTL = ttlBySet[setKey] ?? (chance(50) ? String(defaultTTL) : ttl())
            ttlBySet[setKey] = setTTL

            let ownerOmitted = owner == previousOwner && chance(40)
            previousOwner = owner
            var line = ownerOmitted ? "\t" : owner
            let ttlField = setTTL == String(defaultTTL) && chance(60) && !(forLDNS && type == "RRSIG") ? "" : setTTL
            let classField = chance(50) ? "IN" : ""
            for field in !forLDNS && chance(50) ? [classField, ttlField] : [ttlField, classField] where !field.isEmpty {
                line += " " + field
            }
            line += " " + type
            if chance(15) && !data.contains("(") {
                line += " ( ; spread over lines\n\t" + data + "\n\t)"
            } else {
                line += " " + data
            }
            if chance(10) { line += " ; trailing comment ( \" ;" }
            lines.append(line)
        }
        return Zone(origin: origin, text: lines.joined(separator: "\n") + "\n")
    }
}

extension String {
    /// Two-digit zero-padded decimal, for timestamps.
    fileprivate init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : String(value)
    }
}
