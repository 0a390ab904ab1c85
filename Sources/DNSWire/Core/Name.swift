/// A domain name (RFC 1035 §3.1), always absolute, stored as one contiguous array in
/// uncompressed wire form: length-prefixed labels ending with the root's zero octet.
///
/// Equality and hashing ignore ASCII case (RFC 4343) but the original case is kept, so a
/// name prints and re-encodes exactly as it was received. `<` is the canonical order of
/// RFC 4034 §6.1.
public struct Name: Sendable {
    /// Uncompressed wire form, original case, including the terminating zero octet.
    public private(set) var wire: [UInt8]

    /// The largest wire length of a name (RFC 1035 §2.3.4).
    public static let maxWireLength = 255
    /// The largest label length (RFC 1035 §2.3.4).
    public static let maxLabelLength = 63

    /// The root name, ".".
    public static let root = Name(uncheckedWire: [0])

    /// Wraps bytes already known to be a valid uncompressed name.
    @usableFromInline
    init(uncheckedWire: [UInt8]) {
        self.wire = uncheckedWire
    }

    /// A name from its uncompressed wire form (no pointers); the whole array must be the name.
    public init(wire: [UInt8]) throws(DNSWireError) {
        var offset = 0
        while true {
            guard offset < wire.count else {
                throw DNSWireError(.truncated, "name ends without the root label", offset: offset)
            }
            let length = Int(wire[offset])
            if length == 0 { break }
            guard length <= Name.maxLabelLength else {
                throw DNSWireError(.labelTooLong, "label length \(length) is over 63", offset: offset)
            }
            offset += 1 + length
        }
        guard offset + 1 == wire.count else {
            throw DNSWireError(.badSyntax, "bytes after the root label of a name", offset: offset + 1)
        }
        guard wire.count <= Name.maxWireLength else {
            throw DNSWireError(.nameTooLong, "name is \(wire.count) octets, over 255")
        }
        self.wire = wire
    }

    /// A name from its labels, leftmost first (the root label is implied).
    public init<S: Sequence>(labels: S) throws(DNSWireError) where S.Element == [UInt8] {
        var bytes: [UInt8] = []
        for label in labels {
            guard !label.isEmpty else { throw DNSWireError(.badSyntax, "empty label") }
            guard label.count <= Name.maxLabelLength else {
                throw DNSWireError(.labelTooLong, "label of \(label.count) octets is over 63")
            }
            bytes.append(UInt8(label.count))
            bytes.append(contentsOf: label)
        }
        bytes.append(0)
        guard bytes.count <= Name.maxWireLength else {
            throw DNSWireError(.nameTooLong, "name is \(bytes.count) octets, over 255")
        }
        self.wire = bytes
    }

    // MARK: Labels

    /// True for the root name.
    public var isRoot: Bool { wire.count == 1 }

    /// The number of labels, not counting the root (so "a.example." has 2).
    public var labelCount: Int {
        var count = 0
        var offset = 0
        while wire[offset] != 0 {  // invariant: `wire` is a valid name ending with 0
            count += 1
            offset += 1 + Int(wire[offset])
        }
        return count
    }

    /// The label count of RFC 4034 §3.1.3 (the RRSIG Labels field): the root and a leading
    /// `*` label are not counted.
    public var rrsigLabelCount: Int {
        isWildcard ? labelCount - 1 : labelCount
    }

    /// True when the leftmost label is exactly `*` (RFC 4592).
    public var isWildcard: Bool {
        wire.count >= 3 && wire[0] == 1 && wire[1] == 0x2A
    }

    /// The labels, leftmost first, without the root; each is a slice of `wire`.
    public var labels: [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var offset = 0
        while wire[offset] != 0 {
            let length = Int(wire[offset])
            result.append(wire[(offset + 1)..<(offset + 1 + length)])
            offset += 1 + length
        }
        return result
    }

    /// The name with the leftmost label removed; nil for the root.
    public var parent: Name? {
        guard !isRoot else { return nil }
        return Name(uncheckedWire: Array(wire[(1 + Int(wire[0]))...]))
    }

    /// The name with its `count` leftmost labels removed (the root if count ≥ labelCount).
    public func droppingLabels(_ count: Int) -> Name {
        var offset = 0
        var dropped = 0
        while dropped < count && wire[offset] != 0 {
            offset += 1 + Int(wire[offset])
            dropped += 1
        }
        return offset == 0 ? self : Name(uncheckedWire: Array(wire[offset...]))
    }

    /// The ancestor (or self) that has exactly `count` labels; nil if the name has fewer.
    public func ancestor(labelCount count: Int) -> Name? {
        let total = labelCount
        guard count >= 0, count <= total else { return nil }
        return droppingLabels(total - count)
    }

    /// A new name with `label` in front.
    public func prepending(label: [UInt8]) throws(DNSWireError) -> Name {
        guard !label.isEmpty else { throw DNSWireError(.badSyntax, "empty label") }
        guard label.count <= Name.maxLabelLength else {
            throw DNSWireError(.labelTooLong, "label of \(label.count) octets is over 63")
        }
        guard wire.count + 1 + label.count <= Name.maxWireLength else {
            throw DNSWireError(.nameTooLong, "name would be over 255 octets")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(wire.count + 1 + label.count)
        bytes.append(UInt8(label.count))
        bytes.append(contentsOf: label)
        bytes.append(contentsOf: wire)
        return Name(uncheckedWire: bytes)
    }

    /// The wildcard name `*.self` (used to find the source of synthesis, RFC 4592).
    public func wildcard() throws(DNSWireError) -> Name {
        try prepending(label: [0x2A])
    }

    /// True when `self` is `other` or below it (compared without regard to case).
    public func isSubdomain(of other: Name) -> Bool {
        let suffixStart = wire.count - other.wire.count
        guard suffixStart >= 0 else { return false }
        // The suffix must start on a label boundary.
        var offset = 0
        while offset < suffixStart { offset += 1 + Int(wire[offset]) }
        guard offset == suffixStart else { return false }
        return wire.withUnsafeBufferPointer { mine in
            other.wire.withUnsafeBufferPointer { theirs in
                for index in 0..<theirs.count
                where asciiLower(mine[suffixStart + index]) != asciiLower(theirs[index]) {
                    return false
                }
                return true
            }
        }
    }

    /// True when `self` is strictly below `other`.
    public func isProperSubdomain(of other: Name) -> Bool {
        wire.count > other.wire.count && isSubdomain(of: other)
    }

    /// `self` with `suffix` appended; `self` is read as a relative name (its root dropped).
    public func appending(_ suffix: Name) throws(DNSWireError) -> Name {
        let length = wire.count - 1 + suffix.wire.count
        guard length <= Name.maxWireLength else {
            throw DNSWireError(.nameTooLong, "name would be \(length) octets, over 255")
        }
        var bytes = Array(wire.dropLast())
        bytes.append(contentsOf: suffix.wire)
        return Name(uncheckedWire: bytes)
    }

    /// DNAME substitution (RFC 6672 §2.2): replaces the suffix `owner` of `self` with
    /// `target`. Nil when `self` is not strictly below `owner`; `.nameTooLong` when the result
    /// is too long (the YXDOMAIN case).
    public func replacingSuffix(_ owner: Name, with target: Name) throws(DNSWireError) -> Name? {
        guard isProperSubdomain(of: owner) else { return nil }
        let prefix = Name(uncheckedWire: Array(wire[0..<(wire.count - owner.wire.count)]) + [0])
        return try prefix.appending(target)
    }

    /// How many labels (from the right) `self` and `other` share, ignoring case.
    public func commonLabelCount(with other: Name) -> Int {
        let mine = labels
        let theirs = other.labels
        var count = 0
        while count < mine.count, count < theirs.count {
            let a = mine[mine.count - 1 - count]
            let b = theirs[theirs.count - 1 - count]
            guard a.count == b.count, zip(a, b).allSatisfy({ asciiLower($0) == asciiLower($1) }) else { break }
            count += 1
        }
        return count
    }

    /// A copy with ASCII letters lower-cased (RFC 4034 §6.2 canonical form).
    public func lowercased() -> Name {
        var copy = wire
        for index in copy.indices { copy[index] = asciiLower(copy[index]) }
        return Name(uncheckedWire: copy)
    }

    /// Exact (case-sensitive) comparison, when case matters (e.g. checking received bytes).
    public func isIdentical(to other: Name) -> Bool { wire == other.wire }
}

/// ASCII lower-casing of one octet; length octets (0...63) are never changed by it.
@inlinable @inline(__always)
func asciiLower(_ byte: UInt8) -> UInt8 {
    (byte &- 0x41) < 26 ? byte | 0x20 : byte
}

extension Name: Equatable {
    public static func == (lhs: Name, rhs: Name) -> Bool {
        guard lhs.wire.count == rhs.wire.count else { return false }
        return lhs.wire.withUnsafeBufferPointer { left in
            rhs.wire.withUnsafeBufferPointer { right in
                for index in 0..<left.count where asciiLower(left[index]) != asciiLower(right[index]) {
                    return false
                }
                return true
            }
        }
    }
}

extension Name: Hashable {
    public func hash(into hasher: inout Hasher) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: wire.count) { buffer in
            for index in 0..<wire.count { buffer[index] = asciiLower(wire[index]) }
            hasher.combine(bytes: UnsafeRawBufferPointer(buffer))
        }
    }
}

extension Name: Comparable {
    /// Canonical DNS name order (RFC 4034 §6.1): labels compared from the right, as
    /// lower-cased unsigned octet strings; a name sorts before the names below it.
    public static func < (lhs: Name, rhs: Name) -> Bool {
        Name.canonicalCompare(lhs, rhs) < 0
    }

    /// -1, 0 or 1 as `lhs` sorts before, equal to, or after `rhs` in canonical order.
    public static func canonicalCompare(_ lhs: Name, _ rhs: Name) -> Int {
        lhs.wire.withUnsafeBufferPointer { left in
            rhs.wire.withUnsafeBufferPointer { right in
                withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { starts in
                    // Label start offsets: left's from 0, right's from 128 (≤ 127 labels each).
                    var leftCount = 0
                    var offset = 0
                    while left[offset] != 0 {
                        starts[leftCount] = UInt8(offset)
                        leftCount += 1
                        offset += 1 + Int(left[offset])
                    }
                    var rightCount = 0
                    offset = 0
                    while right[offset] != 0 {
                        starts[128 + rightCount] = UInt8(offset)
                        rightCount += 1
                        offset += 1 + Int(right[offset])
                    }
                    var i = leftCount - 1
                    var j = rightCount - 1
                    while i >= 0 && j >= 0 {
                        let a = Int(starts[i])
                        let b = Int(starts[128 + j])
                        let aLength = Int(left[a])
                        let bLength = Int(right[b])
                        let common = min(aLength, bLength)
                        for k in 0..<common {
                            let x = asciiLower(left[a + 1 + k])
                            let y = asciiLower(right[b + 1 + k])
                            if x != y { return x < y ? -1 : 1 }
                        }
                        if aLength != bLength { return aLength < bLength ? -1 : 1 }
                        i -= 1
                        j -= 1
                    }
                    if leftCount == rightCount { return 0 }
                    return leftCount < rightCount ? -1 : 1
                }
            }
        }
    }
}
