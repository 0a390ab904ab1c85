/// The EDNS Client Subnet option (RFC 7871 §6).
///
///                  +0 (MSB)                            +1 (LSB)
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
///     0: |                          OPTION-CODE                          |
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
///     2: |                         OPTION-LENGTH                         |
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
///     4: |                            FAMILY                             |
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
///     6: |     SOURCE PREFIX-LENGTH      |     SCOPE PREFIX-LENGTH       |
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
///     8: |                           ADDRESS...                          /
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
///
/// ADDRESS holds exactly ceil(SOURCE PREFIX-LENGTH / 8) octets with the bits past the prefix
/// zero; FAMILY is 1 (IPv4, prefix ≤ 32) or 2 (IPv6, prefix ≤ 128). Anything else is
/// malformed (§7.1.2: FORMERR).
public struct ClientSubnet: Hashable, Sendable {
    public var family: UInt16
    public var sourcePrefixLength: UInt8
    public var scopePrefixLength: UInt8
    /// The truncated address, ceil(source / 8) octets.
    public var address: [UInt8]

    /// Builds the option from a full address (4 or 16 octets), truncating and masking it.
    public init?(address full: [UInt8], sourcePrefixLength: UInt8, scopePrefixLength: UInt8 = 0) {
        switch full.count {
        case 4: family = 1
        case 16: family = 2
        default: return nil
        }
        guard Int(sourcePrefixLength) <= full.count * 8, Int(scopePrefixLength) <= full.count * 8 else { return nil }
        self.sourcePrefixLength = sourcePrefixLength
        self.scopePrefixLength = scopePrefixLength
        var bytes = Array(full.prefix((Int(sourcePrefixLength) + 7) / 8))
        if sourcePrefixLength % 8 != 0, let last = bytes.indices.last {
            bytes[last] &= 0xFF << (8 - sourcePrefixLength % 8)
        }
        address = bytes
    }

    init(optionData data: ArraySlice<UInt8>, offset: Int) throws(DNSWireError) {
        func fail(_ reason: String) -> DNSWireError { DNSWireError(.badOption, "client subnet: \(reason)", offset: offset) }
        guard data.count >= 4 else { throw fail("shorter than 4 octets") }
        let start = data.startIndex
        family = UInt16(data[start]) << 8 | UInt16(data[start + 1])
        sourcePrefixLength = data[start + 2]
        scopePrefixLength = data[start + 3]
        let maxBits: Int
        switch family {
        case 1: maxBits = 32
        case 2: maxBits = 128
        default: throw fail("unknown family \(family)")
        }
        guard Int(sourcePrefixLength) <= maxBits, Int(scopePrefixLength) <= maxBits else {
            throw fail("prefix length over \(maxBits)")
        }
        address = Array(data.dropFirst(4))
        guard address.count == (Int(sourcePrefixLength) + 7) / 8 else {
            throw fail("address of \(address.count) octets for a /\(sourcePrefixLength)")
        }
        if sourcePrefixLength % 8 != 0, let last = address.last {
            guard last & ~(0xFF << (8 - sourcePrefixLength % 8)) == 0 else {
                throw fail("address bits set past the source prefix")
            }
        }
    }

    var optionData: [UInt8] {
        [UInt8(family >> 8), UInt8(truncatingIfNeeded: family), sourcePrefixLength, scopePrefixLength] + address
    }
}
