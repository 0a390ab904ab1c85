/// The RSA public key in a DNSKEY's public-key field (RFC 3110 §2):
///
///     +-----------------+------------------+-----------------+
///     | exponent length | exponent         | modulus         |
///     | 1 octet, or 0   | (length octets)  | (the rest)      |
///     | then 2 octets   |                  |                 |
///     +-----------------+------------------+-----------------+
///
/// Both numbers are unsigned big-endian. RFC 3110 forbids leading zero octets; like BIND we
/// tolerate them when reading (they do not change the value) and never write them.
struct RSAPublicKeyField {
    /// RFC 3110 §2 limits the modulus to 4096 bits; below 512 bits RSA is not a signature.
    static let modulusBits = 512...4096
    /// Large exponents make each verification as slow as a private-key operation; OpenSSL
    /// itself refuses exponents above 64 bits for moduli above 3072 bits.
    static let maximumExponentBits = 64

    let exponent: ArraySlice<UInt8>
    let modulus: ArraySlice<UInt8>

    /// Splits `field` into exponent and modulus and checks their sizes.
    init(parsing field: [UInt8]) throws(CryptographyError) {
        guard let first = field.first else {
            throw CryptographyError(.malformedPublicKey, "RSA public key is empty")
        }
        var index = 1
        var exponentLength = Int(first)
        if exponentLength == 0 {
            // RFC 3110 §2: a zero length octet is followed by a two-octet length.
            guard field.count >= 3 else {
                throw CryptographyError(.malformedPublicKey, "RSA public key ends inside the exponent length")
            }
            exponentLength = Int(field[1]) << 8 | Int(field[2])
            index = 3
        }
        guard exponentLength > 0 else {
            throw CryptographyError(.malformedPublicKey, "RSA exponent length is zero")
        }
        guard exponentLength <= field.count - index else {
            throw CryptographyError(
                .malformedPublicKey,
                "RSA exponent length \(exponentLength) points past the end of the \(field.count)-byte key")
        }
        exponent = field[index..<index + exponentLength]
        modulus = field[(index + exponentLength)...]
        guard !modulus.isEmpty else {
            throw CryptographyError(.malformedPublicKey, "RSA public key has no modulus")
        }
        let modulusBits = Self.bitLength(modulus)
        guard Self.modulusBits.contains(modulusBits) else {
            throw CryptographyError(
                .unsupportedKeySize, "RSA modulus of \(modulusBits) bits is outside \(Self.modulusBits)")
        }
        let exponentBits = Self.bitLength(exponent)
        guard exponentBits <= Self.maximumExponentBits else {
            throw CryptographyError(
                .unsupportedKeySize, "RSA exponent of \(exponentBits) bits exceeds \(Self.maximumExponentBits)")
        }
        // An RSA exponent is odd and at least 3; 0, 1 or an even number is no key at all.
        guard exponentBits >= 2, let last = exponent.last, last & 1 == 1 else {
            throw CryptographyError(.malformedPublicKey, "RSA exponent is not an odd number of at least 3")
        }
    }

    /// The field for an exponent and a modulus (big-endian, leading zeros removed here).
    static func encode(exponent: [UInt8], modulus: [UInt8]) -> [UInt8] {
        let e = exponent.drop { $0 == 0 }
        let n = modulus.drop { $0 == 0 }
        var field: [UInt8] = []
        field.reserveCapacity(3 + e.count + n.count)
        if e.count <= 255 {
            field.append(UInt8(e.count))
        } else {
            field.append(0)
            field.append(UInt8(truncatingIfNeeded: e.count >> 8))
            field.append(UInt8(truncatingIfNeeded: e.count))
        }
        field.append(contentsOf: e)
        field.append(contentsOf: n)
        return field
    }

    /// Bits in an unsigned big-endian number, ignoring leading zero octets.
    static func bitLength(_ number: ArraySlice<UInt8>) -> Int {
        guard let firstNonZero = number.firstIndex(where: { $0 != 0 }) else { return 0 }
        let significantBytes = number.endIndex - firstNonZero
        return (significantBytes - 1) * 8 + (8 - number[firstNonZero].leadingZeroBitCount)
    }
}
