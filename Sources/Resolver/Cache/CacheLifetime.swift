import DNSWire

/// How long a response may be cached, in seconds; nil when it must not be.
///
/// - NOERROR with answer records: the smallest TTL of the answer and authority records
///   (RRSIGs and NSEC/NSEC3 proofs included, since they are handed out together).
/// - NXDOMAIN and NODATA (RFC 2308 §5): min(SOA TTL, SOA MINIMUM) of the SOA in the authority
///   section (RFC 2308 §3), and no longer than any CNAME in the answer; without an SOA the
///   negative answer is not cached (RFC 2308 §5).
/// - Anything else (SERVFAIL, REFUSED, ...) is not cached.
enum CacheLifetime {
    static func seconds(for message: Message) -> UInt32? {
        let rcode = message.rcode
        guard rcode == .noError || rcode == .nxDomain else { return nil }
        let questionType = message.questions.first?.type
        let answersQuestion = message.answers.contains { $0.type == questionType }
        let isNegative = rcode == .nxDomain || !answersQuestion
        var lifetime = UInt32.max
        if isNegative {
            guard let soa = message.authority.first(where: { $0.type == .soa }),
                let data = soa.rdata as? SOA
            else { return nil }
            lifetime = min(soa.ttl, data.minimum)
            for record in message.answers { lifetime = min(lifetime, record.ttl) }
            for record in message.authority { lifetime = min(lifetime, record.ttl) }
        } else {
            for record in message.answers { lifetime = min(lifetime, record.ttl) }
            for record in message.authority { lifetime = min(lifetime, record.ttl) }
        }
        return lifetime == 0 ? nil : lifetime
    }
}
