/// One TLSA record's fields as OpenSSL's DANE API takes them (RFC 6698 §2.1): certificate usage,
/// selector, matching type and the association data. The DANE layer builds these from DNS answers.
public struct TLSARecord: Sendable, Hashable, CustomStringConvertible {
    /// 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE (RFC 7218 names).
    public let usage: UInt8
    /// 0 full certificate, 1 SubjectPublicKeyInfo.
    public let selector: UInt8
    /// 0 exact match, 1 SHA-256, 2 SHA-512.
    public let matchingType: UInt8
    public let data: [UInt8]

    public init(usage: UInt8, selector: UInt8, matchingType: UInt8, data: [UInt8]) {
        self.usage = usage
        self.selector = selector
        self.matchingType = matchingType
        self.data = data
    }

    /// Presentation form, e.g. `3 1 1 0a1b...` (RFC 6698 §2.2).
    public var description: String {
        "\(usage) \(selector) \(matchingType) " + data.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// What DANE authentication of one session needs (RFC 7671).
public struct DANEParameters: Sendable, Hashable {
    /// The TLSA base domain (RFC 7671 §3): the primary reference identifier for DANE-TA name checks.
    public let baseDomain: String
    /// The TLSA RRset, already filtered for the protocol's usable usages by the DANE layer.
    public let records: [TLSARecord]
    /// Skip name checks for DANE-EE(3) matches (RFC 7671 §5.1; DESIGN rule 8): true sets
    /// DANE_FLAG_NO_DANE_EE_NAMECHECKS, false clears it, nil keeps the context's setting
    /// (`TLSConfiguration.skipDANEEENameChecks`, which OpenSSL copies into each session).
    public let skipDANEEENameChecks: Bool?

    public init(baseDomain: String, records: [TLSARecord], skipDANEEENameChecks: Bool? = nil) {
        self.baseDomain = baseDomain
        self.records = records
        self.skipDANEEENameChecks = skipDANEEENameChecks
    }
}

/// How OpenSSL took a TLSA RRset: SSL_dane_tlsa_add returns 1 for a usable record, 0 for an
/// unusable one (unknown usage, selector or matching type, wrong digest length, a Full(0)
/// certificate or key that does not parse) and -1 on an internal error. "If no TLSA records are
/// added successfully, DANE authentication is not enabled" (OpenSSL, SSL_CTX_dane_enable(3),
/// doc/man3/SSL_CTX_dane_enable.pod).
public struct DANERecordLoad: Sendable, Equatable {
    /// The records OpenSSL accepted as usable.
    public let usable: [TLSARecord]
    /// The records OpenSSL refused, each with the reason from its error queue.
    public let unusable: [Rejection]

    /// One record OpenSSL refused, and why.
    public struct Rejection: Sendable, Equatable {
        public let record: TLSARecord
        public let reason: String

        public init(record: TLSARecord, reason: String) {
            self.record = record
            self.reason = reason
        }
    }

    /// No record was usable: DANE is off for the session (DESIGN rule 9).
    public var hasNoUsableRecords: Bool { usable.isEmpty }
}

/// Which TLSA record authenticated the peer, from SSL_get0_dane_authority and SSL_get0_dane_tlsa.
public struct DANEMatch: Sendable, Equatable {
    /// The matched record (usage, selector, matching type, data).
    public let record: TLSARecord
    /// Chain depth of the matched certificate: 0 for the leaf (DANE-EE), ≥ 1 for an issuer. An
    /// index into the verified chain, not into the chain the peer sent.
    public let depth: Int
    /// True when a DANE-TA(2) SPKI(1) Full(0) record supplied the key that signed the top of the
    /// chain, rather than matching a certificate in it; `depth` is then that top certificate's.
    public let isBareTrustAnchorKey: Bool

    public init(record: TLSARecord, depth: Int, isBareTrustAnchorKey: Bool = false) {
        self.record = record
        self.depth = depth
        self.isBareTrustAnchorKey = isBareTrustAnchorKey
    }
}

/// The DANE side of a session's verification.
public enum DANEOutcome: Sendable, Equatable {
    /// The session was not asked to use DANE.
    case notRequested
    /// Every TLSA record was unusable, so OpenSSL had DANE off (DESIGN rule 9).
    case noUsableRecords
    /// A usable record matched the peer's chain.
    case matched(DANEMatch)
    /// DANE was on but no record matched (verify error 65 or another failure before matching).
    case noMatch
}
