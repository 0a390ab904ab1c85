import DNSWire

/// What a set of validated NSEC or NSEC3 records proves about a name.
public enum DenialProof: Sendable, Equatable {
    /// The denial holds: secure.
    case proven
    /// It holds only through an NSEC3 Opt-Out span, which may hide unsigned delegations
    /// (RFC 5155 §6, §9.2): insecure, not secure.
    case optOut
    /// An NSEC3 record uses more iterations than the configured limit (RFC 9276 §3.2): insecure,
    /// with EDE 27.
    case iterationsTooHigh(UInt16)
    /// The records do not prove it: bogus.
    case notProven(String)

    /// The verdict this proof gives.
    public var status: SecurityStatus {
        switch self {
        case .proven: .secure
        case .optOut: .insecure(ValidationReason(.other, "denial through an NSEC3 opt-out span"))
        case .iterationsTooHigh(let count):
            .insecure(ValidationReason(.unsupportedNSEC3IterationsValue, "NSEC3 uses \(count) iterations, above the limit"))
        case .notProven(let text): .bogus(ValidationReason(.nsecMissing, text))
        }
    }
}

/// What the denial of a DS proves about a name below a secure zone (RFC 4035 §5.2, RFC 5155
/// §8.6): the chain of trust goes on, stops (insecure delegation), or the name is no zone cut.
public enum DSDenial: Sendable, Equatable {
    /// The name is a delegation without DS (NS bit set, DS bit clear): the child is insecure.
    case insecureDelegation
    /// An opt-out NSEC3 span covers the name: any delegation there is unsigned, so insecure.
    case optOut
    /// The name is not a delegation point (it has no NS, or does not exist): no zone cut here.
    case noZoneCut
    /// NSEC3 iterations above the limit: insecure (RFC 9276).
    case iterationsTooHigh(UInt16)
    case notProven(String)
}

/// An NSEC record whose RRset has been verified, ready for proofs. Records whose signature
/// shows a wildcard expansion (RRSIG Labels below the owner's count) must not be used as proofs
/// (their owner is not where the NSEC really is; CVE-2017-15105).
public struct NSECRecord: Sendable {
    public var owner: Name
    public var nsec: NSEC

    public init(owner: Name, nsec: NSEC) {
        self.owner = owner
        self.nsec = nsec
    }
}

/// An NSEC3 record whose RRset has been verified, with its owner hash decoded.
public struct NSEC3Record: Sendable {
    public var owner: Name
    public var nsec3: NSEC3
    /// The hash in the owner's first label (base32hex, RFC 5155 §3).
    public var ownerHash: [UInt8]
    /// The zone: the owner without its first label.
    public var zone: Name

    /// Nil when the first label is not base32hex of the next hash's length.
    public init?(owner: Name, nsec3: NSEC3) {
        guard let first = owner.labels.first, let zone = owner.parent,
            let hash = BinaryText.decodeBase32Hex(first), hash.count == nsec3.nextHashedOwner.count
        else { return nil }
        self.owner = owner
        self.nsec3 = nsec3
        self.ownerHash = hash
        self.zone = zone
    }
}
