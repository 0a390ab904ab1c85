import DNSWire

/// Answers DNS queries from the hosted zones: pure, no I/O, so every case is unit-testable.
///
/// The algorithm is RFC 1034 §4.3.2 for an authoritative-only server, with wildcards as
/// RFC 4592 has them and the DNSSEC additions of RFC 4035 §3.1 (RRSIGs, and NSEC/NSEC3
/// proofs, RFC 5155 §7.2, when the query has the DO bit). Resolution inside one zone is in
/// ``ZoneResolution``.
public struct QueryAnswerer: Sendable {
    public var store: ZoneStore
    /// The UDP payload size we advertise in our OPT record (RFC 6891 §6.2.3; 1232 is the
    /// DNS Flag Day 2020 value that avoids IP fragmentation).
    public var udpPayloadSize: UInt16
    /// The longest CNAME chain followed inside a zone.
    public var maxCNAMEChain: Int

    public init(store: ZoneStore, udpPayloadSize: UInt16 = 1232, maxCNAMEChain: Int = 8) {
        self.store = store
        self.udpPayloadSize = udpPayloadSize
        self.maxCNAMEChain = maxCNAMEChain
    }

    /// The response to `query`. Refusals and errors are responses too: NOTIMP for opcodes
    /// other than QUERY, FORMERR unless there is exactly one question, BADVERS for EDNS
    /// versions other than 0, REFUSED for names outside our zones, other classes and zone
    /// transfers (not offered).
    public func answer(query: Message) -> Message {
        var response = Message(
            header: Header(
                id: query.header.id, isResponse: true, opcode: query.header.opcode,
                recursionDesired: query.header.recursionDesired,
                checkingDisabled: query.header.checkingDisabled),
            questions: query.questions)
        if let edns = query.edns {
            // RFC 3225 §3: the DO bit is copied into the response.
            response.edns = EDNS(udpPayloadSize: udpPayloadSize, dnssecOK: edns.dnssecOK)
        }
        guard query.header.opcode == .query else {
            response.rcode = .notImp
            return response
        }
        guard query.questions.count == 1, let question = query.questions.first else {
            response.questions = []
            response.rcode = .formErr
            return response
        }
        if let edns = query.edns, edns.version != 0 {
            response.rcode = .badVers  // RFC 6891 §6.1.3
            return response
        }
        switch question.type {
        case .axfr, .ixfr:
            response.rcode = .refused
            return response
        case .any:
            break
        default:
            if question.type.isMetaType {
                response.rcode = .notImp
                return response
            }
        }
        guard let zone = store.zone(for: question.name, type: question.type), zone.rrClass == question.rrClass
        else {
            response.rcode = .refused
            return response
        }
        var resolution = ZoneResolution(
            zone: zone, dnssecOK: query.edns?.dnssecOK ?? false, maxCNAMEChain: maxCNAMEChain)
        resolution.resolve(name: question.name, type: question.type)
        response.header.isAuthoritative = resolution.authoritative
        response.rcode = resolution.rcode
        response.answers = resolution.sections.answer
        response.authority = resolution.sections.authority
        response.additional = resolution.sections.additional
        return response
    }
}
