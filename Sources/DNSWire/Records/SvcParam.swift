/// One SvcParam of SVCB and HTTPS (RFC 9460 §2.2, §7): a key and its value, kept in wire form
/// (lossless) and checked against the key's format; typed helpers build and read the common keys.
public struct SvcParam: Hashable, Sendable {
    public var key: SvcParamKey
    /// SvcParamValue in wire form.
    public var value: [UInt8]

    public init(key: SvcParamKey, value: [UInt8]) {
        self.key = key
        self.value = value
    }

    // MARK: Typed constructors

    public static func mandatory(_ keys: [SvcParamKey]) -> SvcParam {
        var bytes: [UInt8] = []
        for key in keys.sorted() { bytes += [UInt8(key.rawValue >> 8), UInt8(truncatingIfNeeded: key.rawValue)] }
        return SvcParam(key: .mandatory, value: bytes)
    }

    /// Fails unless every id is 1...255 octets.
    public static func alpn(_ ids: [String]) throws(DNSWireError) -> SvcParam {
        var bytes: [UInt8] = []
        for id in ids {
            guard (1...255).contains(id.utf8.count) else {
                throw DNSWireError(.badRDATA, "ALPN ids must be 1...255 octets")
            }
            bytes.append(UInt8(id.utf8.count))
            bytes += id.utf8
        }
        return SvcParam(key: .alpn, value: bytes)
    }

    public static func port(_ port: UInt16) -> SvcParam {
        SvcParam(key: .port, value: [UInt8(port >> 8), UInt8(truncatingIfNeeded: port)])
    }

    // MARK: Checks

    /// Checks the value against its key's format (RFC 9460 §7, §8).
    func validate() -> String? {
        switch key {
        case .mandatory:
            guard !value.isEmpty, value.count % 2 == 0 else { return "mandatory must be a non-empty list of keys" }
            var previous = -1
            for index in stride(from: 0, to: value.count, by: 2) {
                let listed = Int(value[index]) << 8 | Int(value[index + 1])
                guard listed != 0 else { return "mandatory must not list itself" }
                guard listed > previous else { return "mandatory keys must be strictly increasing" }
                previous = listed
            }
        case .alpn:
            guard !value.isEmpty else { return "alpn must not be empty" }
            var index = 0
            while index < value.count {
                let length = Int(value[index])
                guard length > 0, index + 1 + length <= value.count else { return "malformed alpn list" }
                index += 1 + length
            }
        case .noDefaultALPN:
            guard value.isEmpty else { return "no-default-alpn takes no value" }
        case .port:
            guard value.count == 2 else { return "port must be 2 octets" }
        case .ipv4hint:
            guard !value.isEmpty, value.count % 4 == 0 else { return "ipv4hint must be one or more IPv4 addresses" }
        case .ipv6hint:
            guard !value.isEmpty, value.count % 16 == 0 else { return "ipv6hint must be one or more IPv6 addresses" }
        case .invalid:
            return "key65535 is reserved"
        default:
            break
        }
        return nil
    }

    /// The ALPN ids, when this is `alpn`.
    public var alpnIDs: [[UInt8]] {
        guard key == .alpn else { return [] }
        var ids: [[UInt8]] = []
        var index = 0
        while index < value.count {
            let length = Int(value[index])
            guard index + 1 + length <= value.count else { break }
            ids.append(Array(value[(index + 1)..<(index + 1 + length)]))
            index += 1 + length
        }
        return ids
    }

    // MARK: Presentation

    /// `key` or `key=value` (RFC 9460 §2.1 and App. A).
    public var presentation: String {
        switch key {
        case .noDefaultALPN where value.isEmpty:
            return key.description
        case .mandatory:
            var names: [String] = []
            for index in stride(from: 0, to: value.count - 1, by: 2) {
                names.append(SvcParamKey(UInt16(value[index]) << 8 | UInt16(value[index + 1])).description)
            }
            return "mandatory=" + names.joined(separator: ",")
        case .alpn:
            var out: [UInt8] = []
            for (number, id) in alpnIDs.enumerated() {
                if number > 0 { out.append(0x2C) }
                for byte in id {
                    // A comma or backslash inside an id is escaped for the list, then again
                    // for the character-string (App. A.1).
                    if byte == 0x2C || byte == 0x5C { out += [0x5C, 0x5C] }
                    appendEscaped(byte, to: &out, specials: [0x22, 0x5C], quoted: true)
                }
            }
            return "alpn=\"" + String(decoding: out, as: UTF8.self) + "\""
        case .port where value.count == 2:
            return "port=\(UInt16(value[0]) << 8 | UInt16(value[1]))"
        case .ipv4hint where value.count % 4 == 0:
            let addresses = stride(from: 0, to: value.count, by: 4).map { IPAddressText.formatIPv4(Array(value[$0..<($0 + 4)])) }
            return "ipv4hint=" + addresses.joined(separator: ",")
        case .ipv6hint where value.count % 16 == 0:
            let addresses = stride(from: 0, to: value.count, by: 16).map { IPAddressText.formatIPv6(Array(value[$0..<($0 + 16)])) }
            return "ipv6hint=" + addresses.joined(separator: ",")
        case .ech:
            return "ech=" + BinaryText.base64(value)
        default:
            return value.isEmpty ? key.description : "\(key)=\(characterStringPresentation(value))"
        }
    }

    /// Parses a value given as text (escapes already decoded, RFC 9460 App. A).
    static func parse(key: SvcParamKey, text: [UInt8]?, fail: (String) -> DNSWireError) throws(DNSWireError) -> SvcParam {
        guard let text else {
            // A key without "=value".
            switch key {
            case .noDefaultALPN: return SvcParam(key: key, value: [])
            case .mandatory, .alpn, .port, .ipv4hint, .ipv6hint, .ech: throw fail("\(key) needs a value")
            default: return SvcParam(key: key, value: [])
            }
        }
        switch key {
        case .mandatory:
            var keys: [SvcParamKey] = []
            for item in splitValueList(text) {
                guard let listed = SvcParamKey(text: item) else { throw fail("unknown key in mandatory") }
                keys.append(listed)
            }
            guard Set(keys).count == keys.count else { throw fail("duplicate key in mandatory") }
            return .mandatory(keys)
        case .alpn:
            var bytes: [UInt8] = []
            for item in splitValueList(text) {
                guard !item.isEmpty, item.count <= 255 else { throw fail("alpn ids must be 1...255 octets") }
                bytes.append(UInt8(item.count))
                bytes += item
            }
            return SvcParam(key: key, value: bytes)
        case .noDefaultALPN:
            guard text.isEmpty else { throw fail("no-default-alpn takes no value") }
            return SvcParam(key: key, value: [])
        case .port:
            guard let port = parseDecimal(text), port <= 65535 else { throw fail("port must be 0...65535") }
            return .port(UInt16(port))
        case .ipv4hint, .ipv6hint:
            var bytes: [UInt8] = []
            for item in splitValueList(text) {
                let address = key == .ipv4hint ? IPAddressText.parseIPv4(item) : IPAddressText.parseIPv6(item)
                guard let address else { throw fail("bad address in \(key)") }
                bytes += address
            }
            return SvcParam(key: key, value: bytes)
        case .ech:
            guard let data = BinaryText.decodeBase64(text) else { throw fail("ech must be base64") }
            return SvcParam(key: key, value: data)
        default:
            return SvcParam(key: key, value: text)
        }
    }
}

/// Splits a value-list (RFC 9460 App. A.1): items separated by commas; `\,` is a comma and
/// `\\` a backslash inside an item.
func splitValueList(_ text: [UInt8]) -> [[UInt8]] {
    var items: [[UInt8]] = []
    var current: [UInt8] = []
    var index = 0
    while index < text.count {
        let byte = text[index]
        if byte == 0x5C, index + 1 < text.count {
            current.append(text[index + 1])
            index += 2
            continue
        }
        if byte == 0x2C {
            items.append(current)
            current = []
        } else {
            current.append(byte)
        }
        index += 1
    }
    items.append(current)
    return items
}

