/// The text encodings of binary RDATA fields: hex (RFC 4648 §8, e.g. DS digests, TLSA),
/// base64 (§4, keys and signatures) and base32hex without padding (§7, RFC 5155 hashed
/// owner names). Hand-written so the wire layer needs no Foundation.
public enum BinaryText {
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    static let base64Alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let base32HexAlphabet: [UInt8] = Array("0123456789abcdefghijklmnopqrstuv".utf8)

    // MARK: Hex

    /// Lower-case hex.
    public static func hex<C: Collection>(_ data: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(data.count * 2)
        for byte in data {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex digits (either case); nil for an odd count or a non-hex character.
    public static func decodeHex<C: Collection>(_ text: C) -> [UInt8]? where C.Element == UInt8 {
        guard text.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var high: UInt8? = nil
        for character in text {
            guard let value = hexValue(character) else { return nil }
            if let first = high {
                out.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return out
    }

    /// Decodes hex written as a String.
    public static func decodeHex(_ text: String) -> [UInt8]? { decodeHex(Array(text.utf8)) }

    static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case 0x30...0x39: character - 0x30
        case 0x41...0x46: character - 0x41 + 10
        case 0x61...0x66: character - 0x61 + 10
        default: nil
        }
    }

    // MARK: Base64

    /// Base64 with padding.
    public static func base64(_ data: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((data.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= data.count {
            let value = UInt32(data[index]) << 16 | UInt32(data[index + 1]) << 8 | UInt32(data[index + 2])
            for shift in [18, 12, 6, 0] { out.append(base64Alphabet[Int((value >> UInt32(shift)) & 63)]) }
            index += 3
        }
        let rest = data.count - index
        if rest > 0 {
            var value = UInt32(data[index]) << 16
            if rest == 2 { value |= UInt32(data[index + 1]) << 8 }
            out.append(base64Alphabet[Int((value >> 18) & 63)])
            out.append(base64Alphabet[Int((value >> 12) & 63)])
            out.append(rest == 2 ? base64Alphabet[Int((value >> 6) & 63)] : 0x3D)
            out.append(0x3D)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes base64 (padding required when the length is not a multiple of 4 octets of
    /// output; no whitespace: the caller joins fields first). Nil on any error, including
    /// non-zero unused bits.
    public static func decodeBase64<C: Collection>(_ text: C) -> [UInt8]? where C.Element == UInt8 {
        guard text.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3)
        var value: UInt32 = 0
        var bits = 0
        var padding = 0
        for character in text {
            let digit: UInt32
            switch character {
            case 0x41...0x5A: digit = UInt32(character - 0x41)
            case 0x61...0x7A: digit = UInt32(character - 0x61 + 26)
            case 0x30...0x39: digit = UInt32(character - 0x30 + 52)
            case 0x2B: digit = 62
            case 0x2F: digit = 63
            case 0x3D:
                padding += 1
                continue
            default: return nil
            }
            guard padding == 0 else { return nil }  // data after "="
            value = value << 6 | digit
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: value >> UInt32(bits)))
                value &= (1 << UInt32(bits)) - 1
            }
        }
        guard padding <= 2, value == 0 else { return nil }
        // Padding must match the leftover bits: 2 chars of 4 → "==", 3 of 4 → "=".
        let used = text.count - padding
        guard (used % 4 == 0 && padding == 0) || (used % 4 == 2 && padding == 2) || (used % 4 == 3 && padding == 1) else {
            return nil
        }
        return out
    }

    // MARK: Base32hex

    /// Base32 with the extended-hex alphabet, lower case, no padding (RFC 5155 §3.3).
    public static func base32Hex(_ data: [UInt8]) -> String {
        var out: [UInt8] = []
        var value: UInt32 = 0
        var bits = 0
        for byte in data {
            value = value << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                out.append(base32HexAlphabet[Int((value >> UInt32(bits)) & 31)])
            }
            value &= (1 << UInt32(bits)) - 1
        }
        if bits > 0 { out.append(base32HexAlphabet[Int((value << UInt32(5 - bits)) & 31)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes unpadded base32hex (either case); nil on a bad character, an impossible length
    /// or non-zero unused bits.
    public static func decodeBase32Hex<C: Collection>(_ text: C) -> [UInt8]? where C.Element == UInt8 {
        guard [0, 2, 4, 5, 7].contains(text.count % 8) else { return nil }
        var out: [UInt8] = []
        var value: UInt32 = 0
        var bits = 0
        for character in text {
            let digit: UInt32
            switch character {
            case 0x30...0x39: digit = UInt32(character - 0x30)
            case 0x41...0x56: digit = UInt32(character - 0x41 + 10)
            case 0x61...0x76: digit = UInt32(character - 0x61 + 10)
            default: return nil
            }
            value = value << 5 | digit
            bits += 5
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: value >> UInt32(bits)))
                value &= (1 << UInt32(bits)) - 1
            }
        }
        guard value == 0 else { return nil }
        return out
    }
}
