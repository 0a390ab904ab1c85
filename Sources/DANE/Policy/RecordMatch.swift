import DNSWire
import TLS

/// One TLSA record against a presented chain, for the per-record table of `dane probe` and
/// `dane verify` and the audit log: a record that does not match is reported, not hidden.
public struct RecordResult: Sendable, Equatable {
    /// How the record fared against the chain.
    public enum Outcome: Sendable, Equatable {
        /// The record's data equals the selected, hashed bytes of the certificate at `depth`
        /// (0 = leaf) of the chain as presented.
        case matched(depth: Int)
        /// No certificate of the chain gives the record's data.
        case noMatch
        /// The record is unusable for the protocol (with the reason); it was not used.
        case unusable(String)
        /// The chain was not available to compare against.
        case notChecked
    }

    public let record: TLSA
    public let outcome: Outcome

    public init(record: TLSA, outcome: Outcome) {
        self.record = record
        self.outcome = outcome
    }

    /// True when the record's data appears in the chain.
    public var matched: Bool {
        if case .matched = outcome { return true }
        return false
    }
}

/// The two byte strings a TLSA selector can pick from one certificate of a chain (RFC 6698
/// §2.1.2), as plain values so a chain can come from a PEM file, an X509 object or a report.
public struct ChainCertificate: Sendable, Equatable {
    /// The DER certificate (selector 0).
    public let der: [UInt8]
    /// The DER SubjectPublicKeyInfo (selector 1).
    public let subjectPublicKeyInfo: [UInt8]

    public init(der: [UInt8], subjectPublicKeyInfo: [UInt8]) {
        self.der = der
        self.subjectPublicKeyInfo = subjectPublicKeyInfo
    }

    public init(_ certificate: X509Certificate) {
        self.init(der: certificate.derBytes, subjectPublicKeyInfo: certificate.subjectPublicKeyInfoDER)
    }

    /// The association data `record`'s selector and matching type give for this certificate.
    public func associationData(selector: TLSA.Selector, matchingType: TLSA.MatchingType) -> [UInt8]? {
        let selected: [UInt8]
        switch selector {
        case .fullCertificate: selected = der
        case .subjectPublicKeyInfo: selected = subjectPublicKeyInfo
        case .privateUse, .unassigned: return nil
        }
        guard !selected.isEmpty else { return nil }
        return TLSAGenerator.matchingData(selected, matchingType: matchingType)
    }
}

/// Compares TLSA records with a chain by selector and matching type alone: no signatures,
/// names or dates (those are OpenSSL's verdict). A DANE-TA(2) SPKI record may also name the key
/// that signed the top of the chain without being in it; that shows as `noMatch` here and as
/// OpenSSL's match in the verdict.
public enum RecordMatcher {
    /// The outcome for each record, usable ones first. `unusable` records keep their reason.
    public static func results(
        usable: [TLSA], unusable: [UnusableRecord], chain: [X509Certificate]
    ) -> [RecordResult] {
        results(usable: usable, unusable: unusable, chain: chain.map(ChainCertificate.init))
    }

    /// The outcome for each record, usable ones first. `unusable` records keep their reason.
    public static func results(
        usable: [TLSA], unusable: [UnusableRecord], chain: [ChainCertificate]
    ) -> [RecordResult] {
        var results: [RecordResult] = []
        for record in usable {
            results.append(RecordResult(record: record, outcome: outcome(record, chain: chain)))
        }
        for entry in unusable {
            results.append(RecordResult(record: entry.record, outcome: .unusable(entry.reason)))
        }
        return results
    }

    /// Where in `chain` the record's data appears first.
    public static func outcome(_ record: TLSA, chain: [X509Certificate]) -> RecordResult.Outcome {
        outcome(record, chain: chain.map(ChainCertificate.init))
    }

    /// Where in `chain` the record's data appears first.
    public static func outcome(_ record: TLSA, chain: [ChainCertificate]) -> RecordResult.Outcome {
        guard !chain.isEmpty else { return .notChecked }
        for (depth, certificate) in chain.enumerated() {
            // DANE-EE(3) and PKIX-EE(1) only ever describe the leaf (RFC 6698 §2.1.1).
            if depth > 0, record.usage == .daneEE || record.usage == .pkixEE { break }
            if certificate.associationData(selector: record.selector, matchingType: record.matchingType)
                == record.associationData
            {
                return .matched(depth: depth)
            }
        }
        return .noMatch
    }
}
