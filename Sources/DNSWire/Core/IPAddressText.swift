/// Text forms of IP addresses for A, AAAA, SVCB hints and Client Subnet, without Foundation.
public enum IPAddressText {
    /// Dotted quad: four decimals 0...255, 1-3 digits each, no leading zeros (which some
    /// parsers read as octal, RFC 6943 §3.1.1).
    public static func parseIPv4<C: Collection>(_ text: C) -> [UInt8]? where C.Element == UInt8 {
        var out: [UInt8] = []
        var value = 0
        var digits = 0
        for character in text {
            if isDigit(character) {
                guard !(digits == 1 && value == 0) else { return nil }  // leading zero
                value = value * 10 + Int(character - 0x30)
                digits += 1
                guard digits <= 3, value <= 255 else { return nil }
            } else if character == 0x2E {
                guard digits > 0, out.count < 3 else { return nil }
                out.append(UInt8(value))
                value = 0
                digits = 0
            } else {
                return nil
            }
        }
        guard digits > 0, out.count == 3 else { return nil }
        out.append(UInt8(value))
        return out
    }

    public static func formatIPv4(_ bytes: [UInt8]) -> String {
        bytes.map { String($0) }.joined(separator: ".")
    }

    /// RFC 4291 §2.2 text: groups of 1-4 hex digits, one `::`, an optional trailing dotted quad.
    public static func parseIPv6<C: Collection>(_ text: C) -> [UInt8]? where C.Element == UInt8 {
        let characters = Array(text)
        guard characters.count >= 2, characters.count <= 45 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawGap = false
        var index = 0
        if characters.starts(with: [0x3A, 0x3A]) {
            sawGap = true
            index = 2
            if index == characters.count { return [UInt8](repeating: 0, count: 16) }
        } else if characters[0] == 0x3A {
            return nil
        }
        while index < characters.count {
            // One group, or a trailing IPv4 address.
            var end = index
            while end < characters.count, characters[end] != 0x3A { end += 1 }
            let group = characters[index..<end]
            if group.contains(0x2E) {
                guard end == characters.count, let v4 = parseIPv4(group) else { return nil }
                let words = [UInt16(v4[0]) << 8 | UInt16(v4[1]), UInt16(v4[2]) << 8 | UInt16(v4[3])]
                if sawGap { tail += words } else { head += words }
                index = end
                break
            }
            guard (1...4).contains(group.count) else { return nil }
            var value: UInt16 = 0
            for character in group {
                guard let digit = BinaryText.hexValue(character) else { return nil }
                value = value << 4 | UInt16(digit)
            }
            if sawGap { tail.append(value) } else { head.append(value) }
            if end == characters.count { index = end; break }
            // At a ":"; "::" marks the gap.
            if end + 1 < characters.count, characters[end + 1] == 0x3A {
                guard !sawGap else { return nil }
                sawGap = true
                index = end + 2
                if index == characters.count { break }
            } else {
                index = end + 1
                guard index < characters.count else { return nil }  // trailing single ":"
            }
        }
        let total = head.count + tail.count
        if sawGap {
            guard total <= 7 else { return nil }
        } else {
            guard total == 8 else { return nil }
        }
        let words = head + [UInt16](repeating: 0, count: 8 - total) + tail
        var out: [UInt8] = []
        out.reserveCapacity(16)
        for word in words {
            out.append(UInt8(word >> 8))
            out.append(UInt8(truncatingIfNeeded: word))
        }
        return out
    }

    /// RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`;
    /// IPv4-mapped addresses as `::ffff:192.0.2.1` (§5).
    public static func formatIPv6(_ bytes: [UInt8]) -> String {
        guard bytes.count == 16 else { return BinaryText.hex(bytes) }  // not an address
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
            return "::ffff:" + formatIPv4(Array(bytes[12..<16]))
        }
        var words: [UInt16] = []
        for index in stride(from: 0, to: 16, by: 2) {
            words.append(UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
        }
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            if words[index] == 0 {
                var end = index
                while end < 8, words[end] == 0 { end += 1 }
                if end - index > bestLength {
                    bestStart = index
                    bestLength = end - index
                }
                index = end
            } else {
                index += 1
            }
        }
        if bestLength < 2 { bestStart = -1 }
        var text = ""
        index = 0
        while index < 8 {
            if index == bestStart {
                text += "::"
                index += bestLength
                continue
            }
            if !text.isEmpty && !text.hasSuffix(":") { text += ":" }
            text += String(words[index], radix: 16)
            index += 1
        }
        return text
    }
}
