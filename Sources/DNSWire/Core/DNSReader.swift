/// A cursor over DNS wire bytes: a whole message (so compression pointers can be followed)
/// or a stand-alone piece such as one RDATA.
///
/// `limit` bounds the current region: reads past it fail with `.truncated`. RDATA decoders
/// run with `limit` set to the end of the RDATA and must consume it exactly.
public struct DNSReader {
    public let bytes: [UInt8]
    public var offset: Int
    public var limit: Int
    /// Offsets where a label (or pointer, or root octet) of an already-read name starts: the
    /// only places a compression pointer may point to (RFC 1035 §4.1.4: a pointer names "a
    /// prior occurance of the same name", so never the middle of a label or of other data).
    private var labelStarts: [UInt64]

    /// The most compression pointers followed in one name; genuine messages need few.
    public static let maxPointerHops = 64

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
        self.limit = bytes.count
        self.labelStarts = Array(repeating: 0, count: (bytes.count + 63) / 64)
    }

    /// Bytes left before `limit`.
    @inlinable public var remaining: Int { limit - offset }
    public var isAtEnd: Bool { offset >= limit }

    func error(_ code: DNSWireError.Code, _ reason: String, at position: Int? = nil) -> DNSWireError {
        DNSWireError(code, reason, offset: position ?? offset)
    }

    @inline(__always)
    mutating func need(_ count: Int, _ what: StaticString) throws(DNSWireError) {
        guard count <= limit - offset else {
            throw error(.truncated, "input ends inside \(what)")
        }
    }

    public mutating func readUInt8() throws(DNSWireError) -> UInt8 {
        try need(1, "an 8-bit field")
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func readUInt16() throws(DNSWireError) -> UInt16 {
        try need(2, "a 16-bit field")
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    public mutating func readUInt32() throws(DNSWireError) -> UInt32 {
        try need(4, "a 32-bit field")
        defer { offset += 4 }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    public mutating func readBytes(_ count: Int) throws(DNSWireError) -> [UInt8] {
        guard count >= 0 else { throw error(.badRDATA, "negative length") }
        try need(count, "a byte string")
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    /// Everything up to `limit`.
    public mutating func readRemaining() throws(DNSWireError) -> [UInt8] {
        try readBytes(max(0, remaining))
    }

    /// A <character-string> (RFC 1035 §3.3): one length octet, then that many octets.
    public mutating func readCharacterString() throws(DNSWireError) -> [UInt8] {
        let length = Int(try readUInt8())
        return try readBytes(length)
    }

    /// A domain name, following compression pointers (RFC 1035 §4.1.4).
    ///
    /// Rejects pointers that do not point strictly before the part of the name being read
    /// (so no loops are possible), pointers to anything but the start of a label of an
    /// earlier name, more than `maxPointerHops` hops, names over 255 octets, and the
    /// reserved label types. Builds the name with exactly one allocation.
    public mutating func readName() throws(DNSWireError) -> Name {
        // Pass 1: validate and measure.
        var position = offset
        var chunkStart = offset
        var end: Int? = nil  // where reading continues after the name
        var length = 0
        var hops = 0
        while true {
            let limitHere = end == nil ? limit : bytes.count
            guard position < limitHere else {
                throw error(.truncated, "input ends inside a name", at: position)
            }
            let byte = bytes[position]
            if end == nil { markLabelStart(position) }
            switch byte & 0xC0 {
            case 0x00:
                let labelLength = Int(byte)
                length += 1 + labelLength
                guard length <= Name.maxWireLength else {
                    throw error(.nameTooLong, "name is over 255 octets", at: position)
                }
                if labelLength == 0 {
                    if end == nil { end = position + 1 }
                    // Pass 2: copy the labels into one exactly-sized array.
                    let name = copyName(from: offset, length: length)
                    offset = end ?? position + 1
                    return name
                }
                guard position + 1 + labelLength < limitHere else {
                    throw error(.truncated, "input ends inside a label", at: position)
                }
                position += 1 + labelLength
            case 0xC0:
                guard position + 1 < limitHere else {
                    throw error(.truncated, "input ends inside a compression pointer", at: position)
                }
                let target = Int(byte & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < chunkStart else {
                    throw error(.forwardPointer, "compression pointer to \(target) is not before \(chunkStart)", at: position)
                }
                guard isLabelStart(target) else {
                    throw error(.badPointer, "compression pointer to \(target) is not the start of an earlier label", at: position)
                }
                hops += 1
                guard hops <= DNSReader.maxPointerHops else {
                    throw error(.badPointer, "more than \(DNSReader.maxPointerHops) compression pointers", at: position)
                }
                if end == nil { end = position + 2 }
                position = target
                chunkStart = target
            default:
                throw error(.badLabelType, "reserved label type 0x\(String(byte >> 6, radix: 2))", at: position)
            }
        }
    }

    /// Copies a name already validated by `readName` (so every step is in bounds).
    private func copyName(from start: Int, length: Int) -> Name {
        if length == 1 { return .root }  // shared storage, no allocation
        let wire = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
            bytes.withUnsafeBufferPointer { source in
                var position = start
                var written = 0
                while true {
                    let byte = source[position]
                    if byte & 0xC0 == 0xC0 {
                        position = Int(byte & 0x3F) << 8 | Int(source[position + 1])
                        continue
                    }
                    let total = Int(byte) + 1
                    for index in 0..<total { buffer[written + index] = source[position + index] }
                    written += total
                    if byte == 0 { break }
                    position += total
                }
                count = written
            }
        }
        return Name(uncheckedWire: wire)
    }

    @inline(__always)
    private mutating func markLabelStart(_ position: Int) {
        labelStarts[position >> 6] |= 1 << UInt64(position & 63)
    }

    @inline(__always)
    private func isLabelStart(_ position: Int) -> Bool {
        labelStarts[position >> 6] & (1 << UInt64(position & 63)) != 0
    }

    /// Runs `body` with `limit` set to `offset + length` and checks it consumed exactly that.
    mutating func withLimit<T>(_ length: Int, _ what: String, _ body: (inout DNSReader) throws(DNSWireError) -> T) throws(DNSWireError) -> T {
        guard length <= remaining else {
            throw error(.truncated, "\(what) of \(length) octets runs past the end")
        }
        let savedLimit = limit
        let end = offset + length
        limit = end
        let value = try body(&self)
        guard offset == end else {
            throw error(.badRDATA, "\(what) has \(end - offset) octets left over")
        }
        limit = savedLimit
        return value
    }
}
