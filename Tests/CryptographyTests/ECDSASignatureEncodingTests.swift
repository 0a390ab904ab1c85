@testable import Cryptography
import Testing

@Suite("ECDSA r||s <-> DER")
struct ECDSASignatureEncodingTests {
    func der(_ wire: [UInt8], _ size: Int) -> [UInt8]? {
        wire.withUnsafeBytes { ECDSASignatureEncoding.der(fromWire: $0, coordinateSize: size) }
    }

    @Test("plain values, a set high bit, leading zeros and zero itself")
    func encode() {
        let size = 4
        // r = 0x01020304, s = 0x80000001 (high bit: a zero octet goes in front).
        #expect(der([1, 2, 3, 4, 0x80, 0, 0, 1], size) == [0x30, 0x0d, 2, 4, 1, 2, 3, 4, 2, 5, 0, 0x80, 0, 0, 1])
        // r = 0x00000a0b (leading zeros dropped), s = 0 (one zero octet).
        #expect(der([0, 0, 0x0a, 0x0b, 0, 0, 0, 0], size) == [0x30, 0x07, 2, 2, 0x0a, 0x0b, 2, 1, 0])
        // r = 0x00ff0000: the zero octets go, then one comes back for the high bit.
        #expect(der([0, 0xff, 0, 0, 0, 0, 0, 7], size) == [0x30, 0x09, 2, 4, 0, 0xff, 0, 0, 2, 1, 7])
        #expect(der([1, 2, 3], size) == nil)
        #expect(der([], size) == nil)
    }

    @Test("wire -> DER -> wire is the identity for P-256 and P-384 sizes")
    func roundTrip() {
        for size in [32, 48] {
            for pattern in 0..<64 {
                var wire = SecureRandom.bytes(2 * size)
                if pattern & 1 != 0 { wire[0] = 0 }
                if pattern & 2 != 0 { wire[size] = 0; wire[size + 1] = 0 }
                if pattern & 4 != 0 { wire[0] |= 0x80 }
                if pattern & 8 != 0 { wire[size] |= 0x80 }
                let encoded = der(wire, size)
                #expect(encoded != nil)
                #expect(encoded.flatMap { ECDSASignatureEncoding.wire(fromDER: $0, coordinateSize: size) } == wire)
            }
        }
    }

    @Test("DER that is not minimal, negative, too long or followed by junk is refused")
    func strictDecode() {
        let good: [UInt8] = [0x30, 0x06, 2, 1, 5, 2, 1, 7]
        #expect(ECDSASignatureEncoding.wire(fromDER: good, coordinateSize: 2) == [0, 5, 0, 7])
        let bad: [[UInt8]] = [
            [],
            [0x31, 0x06, 2, 1, 5, 2, 1, 7],  // not a SEQUENCE
            [0x30, 0x07, 2, 1, 5, 2, 1, 7],  // length past the end
            good + [0],  // trailing junk
            [0x30, 0x07, 2, 2, 0, 5, 2, 1, 7],  // needless zero octet
            [0x30, 0x06, 2, 1, 0x85, 2, 1, 7],  // negative r
            [0x30, 0x05, 2, 0, 2, 1, 7],  // empty INTEGER
            [0x30, 0x07, 2, 1, 5, 2, 2, 1, 7, 0],  // wrong inner length
            [0x30, 0x81, 0x06, 2, 1, 5, 2, 1, 7],  // long form for a short length
            [0x30, 0x08, 2, 3, 1, 2, 3, 2, 1, 7],  // r larger than the coordinate size
            [0x30, 0x03, 2, 1, 5],  // s missing
        ]
        for der in bad {
            #expect(ECDSASignatureEncoding.wire(fromDER: der, coordinateSize: 2) == nil, "\(der)")
        }
    }
}
