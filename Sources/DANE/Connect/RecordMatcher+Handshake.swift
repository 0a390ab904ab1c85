import DNSWire
import TLS

extension RecordMatcher {
    /// Per-record results from a handshake: the record OpenSSL matched keeps OpenSSL's verdict;
    /// every other record is checked against the chain the peer presented. Without a chain (a
    /// resumed session), only leaf records hashed with SHA-256 can be decided from the leaf's
    /// digests; the rest are `notChecked`.
    public static func results(
        usable: [TLSA], unusable: [UnusableRecord], verification: TLSPeerVerification
    ) -> [RecordResult] {
        var matched: DANEMatch? = nil
        if case .matched(let match) = verification.dane { matched = match }
        var results: [RecordResult] = []
        for record in usable {
            let outcome: RecordResult.Outcome
            if let matched, matched.record == record.openSSLRecord {
                // OpenSSL's own verdict (it also covers a DANE-TA key that is not in the chain).
                outcome = .matched(depth: matched.depth)
            } else if !verification.peerChain.isEmpty {
                outcome = RecordMatcher.outcome(record, chain: verification.peerChain.map {
                    ChainCertificate(der: $0.der, subjectPublicKeyInfo: $0.subjectPublicKeyInfo)
                })
            } else if record.usage == .daneEE || record.usage == .pkixEE, record.matchingType == .sha256 {
                let leaf = record.selector == .fullCertificate ? verification.peerCertificateSHA256 : verification.peerSPKISHA256
                outcome = leaf == record.associationData ? .matched(depth: 0) : .noMatch
            } else {
                outcome = .notChecked
            }
            results.append(RecordResult(record: record, outcome: outcome))
        }
        for entry in unusable {
            results.append(RecordResult(record: entry.record, outcome: .unusable(entry.reason)))
        }
        return results
    }
}
