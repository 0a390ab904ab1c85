import DNSWire

/// What a cached response answers: the question plus the query flags that change the answer
/// (DO adds DNSSEC records; CD lets bogus data through). The name compares and hashes without
/// regard to ASCII case (`Name`'s own equality, RFC 4343), so building a key copies nothing.
public struct CacheKey: Hashable, Sendable {
    public var name: Name
    public var type: RRType
    public var rrClass: RRClass
    /// Bit 0: DO, bit 1: CD.
    public var flags: UInt8

    public init(name: Name, type: RRType, options: ResolveOptions) {
        self.name = name
        self.type = type
        self.rrClass = options.rrClass
        self.flags = (options.dnssecOK ? 1 : 0) | (options.checkingDisabled ? 2 : 0)
    }

    @inline(__always)
    public static func == (lhs: CacheKey, rhs: CacheKey) -> Bool {
        lhs.type == rhs.type && lhs.rrClass == rhs.rrClass && lhs.flags == rhs.flags && lhs.name == rhs.name
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(type.rawValue)
        hasher.combine(rrClass.rawValue)
        hasher.combine(flags)
        hasher.combine(name)
    }
}
