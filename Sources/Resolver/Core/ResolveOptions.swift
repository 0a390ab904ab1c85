import DNSWire

/// Per-lookup choices.
public struct ResolveOptions: Sendable, Hashable {
    public var rrClass: RRClass = .internet
    /// Set the DO bit (RFC 3225) so the answer carries RRSIG, NSEC and NSEC3 records.
    public var dnssecOK = true
    /// Set CD (RFC 4035 §3.2.2): the upstream resolver returns data even when its own
    /// validation fails, for a validator that checks the data itself.
    public var checkingDisabled = false
    /// Answer from the cache when possible. The answer is cached either way.
    public var useCache = true

    public init(rrClass: RRClass = .internet, dnssecOK: Bool = true, checkingDisabled: Bool = false,
                useCache: Bool = true) {
        self.rrClass = rrClass
        self.dnssecOK = dnssecOK
        self.checkingDisabled = checkingDisabled
        self.useCache = useCache
    }

    /// What a validator asks for: DO and CD, so it gets everything, bogus or not.
    public static let validatorFetch = ResolveOptions(dnssecOK: true, checkingDisabled: true)
}
