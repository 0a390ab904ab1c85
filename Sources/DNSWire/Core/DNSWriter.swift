/// Builds DNS wire bytes: a message (with name compression) or a stand-alone piece such as
/// one RDATA, optionally in the canonical form of RFC 4034 §6.2.
public struct DNSWriter {
    public private(set) var bytes: [UInt8]
    /// Compression is on for message encoding only (RFC 1035 §4.1.4).
    private var compression: CompressionTable?
    /// Canonical form (RFC 4034 §6.2 as amended by RFC 6840 §5.1): names in RDATA of the
    /// listed types are lower-cased; nothing is compressed.
    public let isCanonical: Bool

    /// A writer without compression; `canonical` lower-cases RDATA names where RFC 4034 §6.2
    /// (as amended by RFC 6840 §5.1) says so.
    public init(canonical: Bool = false, capacity: Int = 512) {
        self.bytes = []
        self.bytes.reserveCapacity(capacity)
        self.compression = nil
        self.isCanonical = canonical
    }

    /// A writer for a whole message, with name compression.
    public static func forMessage(capacity: Int = 512) -> DNSWriter {
        var writer = DNSWriter(canonical: false, capacity: capacity)
        writer.compression = CompressionTable()
        return writer
    }

    public var count: Int { bytes.count }

    public mutating func writeUInt8(_ value: UInt8) { bytes.append(value) }

    public mutating func writeUInt16(_ value: UInt16) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    public mutating func writeUInt32(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    public mutating func writeBytes<C: Collection>(_ data: C) where C.Element == UInt8 {
        bytes.append(contentsOf: data)
    }

    /// A <character-string>: a length octet then the bytes (at most 255).
    public mutating func writeCharacterString(_ data: [UInt8]) throws(DNSWireError) {
        guard data.count <= 255 else {
            throw DNSWireError(.tooLarge, "character-string of \(data.count) octets is over 255")
        }
        bytes.append(UInt8(data.count))
        bytes.append(contentsOf: data)
    }

    /// Overwrites a 16-bit value written earlier at `position`.
    public mutating func patchUInt16(_ value: UInt16, at position: Int) {
        bytes[position] = UInt8(truncatingIfNeeded: value >> 8)
        bytes[position + 1] = UInt8(truncatingIfNeeded: value)
    }

    /// Writes a name.
    /// - Parameters:
    ///   - name: the name to write.
    ///   - compressible: this name may be compressed (owner names, questions, and RDATA of
    ///     the well-known types of RFC 3597 §4 only), and may be pointed at later.
    ///   - lowercaseWhenCanonical: in canonical form this name is lower-cased.
    public mutating func writeName(_ name: Name, compressible: Bool = false, lowercaseWhenCanonical: Bool = false) {
        if isCanonical {
            if lowercaseWhenCanonical {
                for byte in name.wire { bytes.append(asciiLower(byte)) }
            } else {
                bytes.append(contentsOf: name.wire)
            }
            return
        }
        guard compressible, compression != nil else {
            bytes.append(contentsOf: name.wire)
            return
        }
        compression?.write(name, into: &bytes)
    }

    // MARK: Truncation support

    /// A point to return to when what follows does not fit.
    public struct Checkpoint: Sendable {
        let count: Int
        let compressionEntries: Int
    }

    public func checkpoint() -> Checkpoint {
        Checkpoint(count: bytes.count, compressionEntries: compression?.insertedCount ?? 0)
    }

    /// Drops everything written after `checkpoint`, including compression targets in it.
    public mutating func rollback(to checkpoint: Checkpoint) {
        bytes.removeSubrange(checkpoint.count...)
        compression?.rollback(to: checkpoint.compressionEntries)
    }
}

/// Name suffixes already written → their offsets (RFC 1035 §4.1.4). Keys are hashes of the
/// suffix; a hit is confirmed against the bytes before a pointer is written.
///
/// Matching is case-sensitive on purpose: a pointer then reproduces the name exactly as
/// given, so the case of every name survives encoding (DNS 0x20, NSEC next names).
struct CompressionTable {
    private var offsets: [Int: Int] = [:]
    private var inserted: [Int] = []

    var insertedCount: Int { inserted.count }

    mutating func rollback(to count: Int) {
        while inserted.count > count {
            offsets[inserted.removeLast()] = nil
        }
    }

    mutating func write(_ name: Name, into bytes: inout [UInt8]) {
        name.wire.withUnsafeBufferPointer { wire in
            // Label starts and suffix hashes, computed right to left.
            withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { scratch in
                var labelCount = 0
                var offset = 0
                while wire[offset] != 0 {
                    scratch[labelCount] = offset
                    labelCount += 1
                    offset += 1 + Int(wire[offset])
                }
                // scratch[128 + i] = hash of the suffix starting at label i.
                var hash = 0x5BD1_E995
                var index = labelCount - 1
                while index >= 0 {
                    let start = scratch[index]
                    var labelHash: UInt64 = 0xCBF2_9CE4_8422_2325
                    for position in start...(start + Int(wire[start])) {
                        labelHash = (labelHash ^ UInt64(wire[position])) &* 0x100_0000_01B3
                    }
                    hash = (hash &* 31) ^ Int(truncatingIfNeeded: labelHash)
                    scratch[128 + index] = hash
                    index -= 1
                }
                // Longest suffix already in the message wins.
                var matchLabel = labelCount
                var matchOffset = 0
                for label in 0..<labelCount {
                    if let found = offsets[scratch[128 + label]],
                       suffixMatches(wire, from: scratch[label], at: found, in: bytes) {
                        matchLabel = label
                        matchOffset = found
                        break
                    }
                }
                // Write the labels before the match, remembering each new suffix.
                for label in 0..<matchLabel {
                    let here = bytes.count
                    if here < 0x4000 {
                        let key = scratch[128 + label]
                        if offsets[key] == nil {
                            offsets[key] = here
                            inserted.append(key)
                        }
                    }
                    let start = scratch[label]
                    bytes.append(contentsOf: wire[start...(start + Int(wire[start]))])
                }
                if matchLabel < labelCount {
                    bytes.append(0xC0 | UInt8(matchOffset >> 8))
                    bytes.append(UInt8(truncatingIfNeeded: matchOffset))
                } else {
                    bytes.append(0)
                }
            }
        }
    }

    /// True when the name suffix `wire[from...]` equals (octet for octet) the name at `offset`
    /// in the bytes written so far (which may itself use pointers).
    private func suffixMatches(_ wire: UnsafeBufferPointer<UInt8>, from: Int, at offset: Int, in bytes: [UInt8]) -> Bool {
        var position = offset
        var mine = from
        var hops = 0
        while true {
            guard position < bytes.count else { return false }
            let length = bytes[position]
            if length & 0xC0 == 0xC0 {
                hops += 1
                guard hops < 64, position + 1 < bytes.count else { return false }
                position = Int(length & 0x3F) << 8 | Int(bytes[position + 1])
                continue
            }
            guard length == wire[mine] else { return false }
            if length == 0 { return true }
            let count = Int(length)
            guard position + count < bytes.count else { return false }
            for index in 1...count where bytes[position + index] != wire[mine + index] {
                return false
            }
            position += 1 + count
            mine += 1 + count
        }
    }
}
