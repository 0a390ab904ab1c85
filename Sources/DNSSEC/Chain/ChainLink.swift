import DNSWire

/// One zone on the chain of trust, for tools (`dane` prints the chain).
public struct ChainLink: Sendable, Hashable, CustomStringConvertible {
    /// How the zone's key set was reached.
    public enum Kind: Sendable, Hashable {
        /// A trust anchor's zone.
        case trustAnchor
        /// A zone reached through a validated DS.
        case delegation
        /// A delegation proven to have no (usable) DS: the chain ends here.
        case insecureDelegation
    }

    public var zone: Name
    public var kind: Kind
    /// The key tags of the DNSKEYs that a DS or anchor matched and that signed the DNSKEY set.
    public var keyTags: [UInt16]
    public var algorithms: [UInt8]

    public init(zone: Name, kind: Kind, keyTags: [UInt16] = [], algorithms: [UInt8] = []) {
        self.zone = zone
        self.kind = kind
        self.keyTags = keyTags
        self.algorithms = algorithms
    }

    public var description: String {
        switch kind {
        case .insecureDelegation: "\(zone.presentation) (insecure delegation)"
        case .trustAnchor, .delegation:
            "\(zone.presentation) keys \(keyTags.map(String.init).joined(separator: ",")) alg \(algorithms.map(String.init).joined(separator: ","))"
                + (kind == .trustAnchor ? " (trust anchor)" : "")
        }
    }
}
