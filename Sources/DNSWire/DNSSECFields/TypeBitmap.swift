/// The Type Bit Maps field of NSEC and NSEC3 (RFC 4034 §4.1.2, RFC 5155 §3.2.1): the set of
/// types present at a name, as windows of up to 256 types.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     | Window Block # | Bitmap Length |  Bitmap ...   /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// Windows appear in increasing order, each once, with a bitmap of 1...32 octets whose last
/// octet is not zero (trailing zero octets MUST be omitted). Anything else is rejected, so
/// re-encoding always gives back the received bytes.
public struct TypeBitmap: Hashable, Sendable {
    /// The types, sorted, without duplicates.
    public private(set) var types: [RRType]

    public init<S: Sequence>(_ types: S) where S.Element == RRType {
        self.types = Array(Set(types)).sorted()
    }

    public func contains(_ type: RRType) -> Bool {
        var low = 0
        var high = types.count
        while low < high {
            let middle = (low + high) / 2
            if types[middle] == type { return true }
            if types[middle] < type { low = middle + 1 } else { high = middle }
        }
        return false
    }

    /// Decodes bitmaps from `reader` up to its limit (may be empty).
    public init(from reader: inout DNSReader) throws(DNSWireError) {
        var types: [RRType] = []
        var lastWindow = -1
        while !reader.isAtEnd {
            let window = Int(try reader.readUInt8())
            let length = Int(try reader.readUInt8())
            guard window > lastWindow else {
                throw reader.error(.badRDATA, "type bitmap window \(window) is not after window \(lastWindow)")
            }
            guard (1...32).contains(length) else {
                throw reader.error(.badRDATA, "type bitmap length \(length) is not 1...32")
            }
            let bitmap = try reader.readBytes(length)
            guard bitmap[length - 1] != 0 else {
                throw reader.error(.badRDATA, "type bitmap window \(window) ends with a zero octet")
            }
            for (index, byte) in bitmap.enumerated() where byte != 0 {
                for bit in 0..<8 where byte & (0x80 >> UInt8(bit)) != 0 {
                    types.append(RRType(UInt16(window << 8 | index << 3 | bit)))
                }
            }
            lastWindow = window
        }
        self.types = types  // already sorted and unique by construction
    }

    public func write(to writer: inout DNSWriter) {
        var index = 0
        while index < types.count {
            let window = types[index].rawValue >> 8
            var bitmap = [UInt8](repeating: 0, count: 32)
            var used = 0
            while index < types.count, types[index].rawValue >> 8 == window {
                let low = Int(types[index].rawValue & 0xFF)
                bitmap[low >> 3] |= 0x80 >> UInt8(low & 7)
                used = (low >> 3) + 1
                index += 1
            }
            writer.writeUInt8(UInt8(window))
            writer.writeUInt8(UInt8(used))
            writer.writeBytes(bitmap[0..<used])
        }
    }

    /// Reads every remaining field as a type mnemonic.
    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        var types: [RRType] = []
        while !reader.isAtEnd { types.append(try reader.rrType("type in bitmap")) }
        self.init(types)
    }

    /// The mnemonics separated by spaces (empty for no types).
    public var presentation: String { types.map(\.mnemonic).joined(separator: " ") }
}
