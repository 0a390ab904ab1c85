import DNSWire

/// An RRset together with the RRSIGs that cover it (RFC 4035 §5.3): the unit the validator
/// checks. Also records, once checked, which signature made it secure.
public struct SignedRRset: Sendable {
    public var rrset: RRset
    public var signatures: [RRSIG]

    public init(rrset: RRset, signatures: [RRSIG]) {
        self.rrset = rrset
        self.signatures = signatures
    }

    public var owner: Name { rrset.owner }
    public var type: RRType { rrset.type }

    /// The signer names of the signatures, without duplicates (normally exactly one: the zone).
    public var signerNames: [Name] {
        var names: [Name] = []
        for signature in signatures where !names.contains(signature.signerName) {
            names.append(signature.signerName)
        }
        return names
    }

    /// Groups the records of one message section (or a zone) into RRsets and attaches to each
    /// the RRSIGs at the same owner and class that cover its type. RRSIGs that cover nothing in
    /// the section are dropped.
    ///
    /// A candidate to move down into DNSWire next to `RRset.group`.
    public static func group(_ records: [Record]) throws(DNSWireError) -> [SignedRRset] {
        let sets = try RRset.group(records)
        struct Key: Hashable {
            var owner: Name
            var rrClass: RRClass
            var type: RRType
        }
        var signaturesByKey: [Key: [RRSIG]] = [:]
        for set in sets where set.type == .rrsig {
            for case let rrsig as RRSIG in set.rdatas {
                signaturesByKey[Key(owner: set.owner, rrClass: set.rrClass, type: rrsig.typeCovered), default: []]
                    .append(rrsig)
            }
        }
        var result: [SignedRRset] = []
        for set in sets where set.type != .rrsig {
            let key = Key(owner: set.owner, rrClass: set.rrClass, type: set.type)
            result.append(SignedRRset(rrset: set, signatures: signaturesByKey[key] ?? []))
        }
        return result
    }

    /// The answer and authority sections of `message`, each grouped by `group(_:)`: what a
    /// response validation reads.
    static func sections(of message: Message) throws(DNSWireError) -> (answer: [SignedRRset], authority: [SignedRRset])
    {
        (try group(message.answers), try group(message.authority))
    }
}
