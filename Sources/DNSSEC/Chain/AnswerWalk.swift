import DNSWire

/// The answer section of a response read from the query name along CNAME and DNAME records
/// (RFC 1034 §3.6.2, RFC 6672 §3.2), one name at a time. The validator and the trust-AD path
/// both read answers through this one walk, so the records a verdict is about are the records
/// its users get.
struct AnswerWalk {
    enum Step {
        /// The RRsets of the asked type (every type for ANY) at the name.
        case data([SignedRRset])
        /// A CNAME at the name (RFC 1034 §3.6.2).
        case cname(SignedRRset, target: Name)
        /// A DNAME above the name and the name it rewrites the current one to (RFC 6672 §2.2):
        /// the target of the synthesized CNAME, computed here, never read from the response.
        case dname(SignedRRset, target: Name)
        /// Nothing more at the name: a NODATA, NXDOMAIN or referral follows.
        case end
        /// The answer section contradicts itself: bogus whatever its signatures say.
        case malformed(ValidationReason)
    }

    let sets: [SignedRRset]

    /// What the answer section holds for `name` when the question type is `type`.
    func step(at name: Name, type: RRType) -> Step {
        let atName = sets.filter { $0.owner == name }
        let cname = atName.first { $0.type == .cname }
        if let cname {
            // RFC 2181 §10.1: no other data beside a CNAME (RFC 4035 §2.5 allows its RRSIG
            // and NSEC). A CNAME beside the asked data lets one of the two be the attacker's.
            if let other = atName.first(where: { $0.type != .cname && $0.type != .nsec }) {
                return .malformed(ValidationReason(
                    .dnssecBogus, "CNAME beside \(other.type) at \(name.presentation) (RFC 2181 §10.1)"))
            }
            if cname.rrset.rdatas.count != 1 {
                return .malformed(ValidationReason(.dnssecBogus, "\(cname.rrset.rdatas.count) CNAME records at \(name.presentation)"))
            }
        }
        let wanted = type == .any ? atName : atName.filter { $0.type == type }
        if !wanted.isEmpty { return .data(wanted) }
        // The deepest DNAME above the name applies (RFC 6672 §3.2).
        let dnames = sets.filter { $0.type == .dname && name.isProperSubdomain(of: $0.owner) }
        if let dname = dnames.max(by: { $0.owner.labelCount < $1.owner.labelCount }) {
            guard dname.rrset.rdatas.count == 1, let record = dname.rrset.rdatas.first as? DNAME else {
                return .malformed(ValidationReason(.dnssecBogus, "DNAME RRset at \(dname.owner.presentation) is not one record"))
            }
            guard let target = (try? name.replacingSuffix(dname.owner, with: record.target)) ?? nil else {
                return .malformed(ValidationReason(.dnssecBogus, "DNAME at \(dname.owner.presentation) makes \(name.presentation) too long"))
            }
            // The CNAME the server synthesized must say what the DNAME says (RFC 6672 §3.2);
            // only the DNAME is signed, so a different target is a forgery.
            if let cname, let said = (cname.rrset.rdatas.first as? CNAME)?.target, said != target {
                return .malformed(ValidationReason(
                    .dnssecBogus,
                    "the CNAME at \(name.presentation) points to \(said.presentation), the DNAME at \(dname.owner.presentation) to \(target.presentation)"))
            }
            return .dname(dname, target: target)
        }
        if type != .cname, let cname {
            guard let target = (cname.rrset.rdatas.first as? CNAME)?.target else {
                return .malformed(ValidationReason(.dnssecBogus, "CNAME at \(name.presentation) has no target"))
            }
            return .cname(cname, target: target)
        }
        return .end
    }
}
