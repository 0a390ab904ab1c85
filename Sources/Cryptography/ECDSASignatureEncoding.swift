/// ECDSA signatures in the two forms we meet: DNSSEC's fixed-size r || s (RFC 6605 §4) and the
/// DER `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279 §2.2.3) OpenSSL uses.
///
/// DER INTEGERs are signed and minimal: leading zero octets are dropped, and one zero octet is
/// put back when the high bit of the first octet is set, so the value stays positive.
enum ECDSASignatureEncoding {
    private static let sequenceTag: UInt8 = 0x30
    private static let integerTag: UInt8 = 0x02

    /// DER for a wire signature of `2 * coordinateSize` octets; nil for any other length.
    static func der(fromWire wire: UnsafeRawBufferPointer, coordinateSize: Int) -> [UInt8]? {
        guard coordinateSize > 0, coordinateSize <= 66, wire.count == 2 * coordinateSize else { return nil }
        let r = derInteger(wire[0..<coordinateSize])
        let s = derInteger(wire[coordinateSize..<(2 * coordinateSize)])
        // r and s are at most 67 octets each here (P-521 bound), so the body is under 256.
        var out: [UInt8] = [sequenceTag]
        appendLength(r.count + s.count, to: &out)
        out += r
        out += s
        return out
    }

    /// The wire form (r || s, each left-padded to `coordinateSize`) of a DER signature; nil
    /// when the DER is malformed, has trailing bytes, or a number does not fit.
    static func wire(fromDER der: [UInt8], coordinateSize: Int) -> [UInt8]? {
        var reader = DERReader(bytes: der)
        guard reader.readTag() == sequenceTag, let bodyLength = reader.readLength(),
            bodyLength == reader.remaining
        else { return nil }
        guard let r = reader.readUnsignedInteger(), let s = reader.readUnsignedInteger(),
            reader.remaining == 0, r.count <= coordinateSize, s.count <= coordinateSize
        else { return nil }
        var out = [UInt8](repeating: 0, count: 2 * coordinateSize)
        out.replaceSubrange((coordinateSize - r.count)..<coordinateSize, with: r)
        out.replaceSubrange((2 * coordinateSize - s.count)..<(2 * coordinateSize), with: s)
        return out
    }

    /// A DER INTEGER (tag, length, value) for an unsigned big-endian number.
    private static func derInteger(_ number: Slice<UnsafeRawBufferPointer>) -> [UInt8] {
        var value = Array(number.drop { $0 == 0 })
        if value.isEmpty {
            value = [0]
        } else if value[0] & 0x80 != 0 {
            value.insert(0, at: 0)
        }
        var out: [UInt8] = [integerTag]
        appendLength(value.count, to: &out)
        out += value
        return out
    }

    /// A DER length: short form below 128, else long form.
    private static func appendLength(_ length: Int, to out: inout [UInt8]) {
        if length < 0x80 {
            out.append(UInt8(length))
        } else if length <= 0xff {
            out += [0x81, UInt8(length)]
        } else {
            out += [0x82, UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)]
        }
    }

    /// Reads the little DER an ECDSA signature uses, strictly.
    private struct DERReader {
        let bytes: [UInt8]
        var position = 0

        var remaining: Int { bytes.count - position }

        mutating func readTag() -> UInt8? {
            guard position < bytes.count else { return nil }
            defer { position += 1 }
            return bytes[position]
        }

        /// A definite length in minimal form (short, or long with one or two octets).
        mutating func readLength() -> Int? {
            guard let first = readTag() else { return nil }
            if first < 0x80 { return Int(first) }
            let octets = Int(first & 0x7f)
            guard octets == 1 || octets == 2, remaining >= octets else { return nil }
            var length = 0
            for _ in 0..<octets {
                length = length << 8 | Int(bytes[position])
                position += 1
            }
            // Minimal encoding: long form only for 128 and up, and no leading zero octet.
            guard length >= 0x80, octets == 1 || length > 0xff else { return nil }
            return length
        }

        /// A positive INTEGER's magnitude without leading zeros; nil for a negative or
        /// non-minimal INTEGER.
        mutating func readUnsignedInteger() -> ArraySlice<UInt8>? {
            guard readTag() == integerTag, let length = readLength(), length > 0,
                length <= remaining
            else { return nil }
            let value = bytes[position..<(position + length)]
            position += length
            if value[value.startIndex] & 0x80 != 0 { return nil }  // negative
            if value.count > 1, value[value.startIndex] == 0,
                value[value.startIndex + 1] & 0x80 == 0
            {
                return nil  // a zero octet that DER would not write
            }
            return value.drop { $0 == 0 }
        }
    }
}
