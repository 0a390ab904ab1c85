import DANE

/// The audit log's verdict on one connection (issue 11).
public enum AuditVerdict: String, Sendable, Codable, CaseIterable {
    /// A usable TLSA record authenticated the upstream.
    case verified
    /// The connection was refused (DANE failed, a DNS failure, a policy refusal).
    case refused
    /// Relayed over TLS that is encrypted but not authenticated (`opportunistic`, `audit`).
    case unauthenticated
    /// Something else ended it (the upstream was unreachable, a timeout, a reset).
    case error
}

/// Why a connection was not verified: a DANE reason, or the gateway's own `client-not-allowed`.
public enum AuditReason: Sendable, Equatable, Hashable, CustomStringConvertible {
    case dane(DANEReason)
    /// The client's address is outside `allow`.
    case clientNotAllowed

    public var description: String {
        switch self {
        case .dane(let reason): reason.rawValue
        case .clientNotAllowed: "client-not-allowed"
        }
    }

    public init?(code: String) {
        if code == "client-not-allowed" { self = .clientNotAllowed; return }
        guard let reason = DANEReason(rawValue: code) else { return nil }
        self = .dane(reason)
    }
}

/// One line of the audit log: one JSON object per connection with exactly these 19 keys, null
/// where unknown (issue 11 fixes the keys; RFC 3339 `time`).
public struct AuditRecord: Sendable, Equatable {
    public struct TLSARecordSeen: Sendable, Equatable {
        public var usage: UInt8
        public var selector: UInt8
        public var matchingType: UInt8
        /// Hex of the certificate association data.
        public var data: String
        public var matched: Bool

        public init(usage: UInt8, selector: UInt8, matchingType: UInt8, data: String, matched: Bool) {
            self.usage = usage
            self.selector = selector
            self.matchingType = matchingType
            self.data = data
            self.matched = matched
        }
    }

    public struct TLSDetails: Sendable, Equatable {
        public var version: String
        public var cipher: String
        public var sni: String?

        public init(version: String, cipher: String, sni: String?) {
            self.version = version
            self.cipher = cipher
            self.sni = sni
        }
    }

    public struct CertificateDetails: Sendable, Equatable {
        /// Hex SHA-256 of the leaf certificate (DER) and of its SubjectPublicKeyInfo.
        public var sha256: String
        public var spkiSha256: String
        public var subject: String?
        /// RFC 3339.
        public var notAfter: String?

        public init(sha256: String, spkiSha256: String, subject: String?, notAfter: String?) {
            self.sha256 = sha256
            self.spkiSha256 = spkiSha256
            self.subject = subject
            self.notAfter = notAfter
        }
    }

    public struct MatchDetails: Sendable, Equatable {
        public var usage: UInt8
        public var selector: UInt8
        public var matchingType: UInt8
        public var depth: Int

        public init(usage: UInt8, selector: UInt8, matchingType: UInt8, depth: Int) {
            self.usage = usage
            self.selector = selector
            self.matchingType = matchingType
            self.depth = depth
        }
    }

    public var time: String
    public var id: String
    public var service: String
    public var client: String
    public var `protocol`: String
    public var target: String?
    public var address: String?
    public var tlsaName: String?
    /// `secure`, `insecure`, `bogus`, `indeterminate`, or nil when no TLSA lookup was made.
    public var dnssec: String?
    public var tlsa: [TLSARecordSeen]?
    public var tls: TLSDetails?
    public var certificate: CertificateDetails?
    public var match: MatchDetails?
    public var verdict: AuditVerdict
    public var reason: AuditReason?
    public var bytesUp: Int
    public var bytesDown: Int
    public var durationMs: Int

    /// The RFC 8460 §4.3 result type for `reason` under `policy` (issue 11's mapping): no-tlsa and
    /// tlsa-insecure map to dane-required only under `require`.
    public static func tlsReportResultType(_ reason: AuditReason?, policy: DANEPolicy) -> String? {
        guard case .dane(let code)? = reason else { return nil }
        switch code {
        case .daneNoMatch: return "validation-failure"
        case .daneNameMismatch: return "certificate-host-mismatch"
        case .tlsaUnusable: return "tlsa-invalid"
        case .tlsaBogus, .tlsaLookupFailed: return "dnssec-invalid"
        case .noTLSA, .tlsaInsecure: return policy == .require ? "dane-required" : nil
        case .starttlsNotSupported: return "starttls-not-supported"
        default: return nil
        }
    }

    public init(
        time: String, id: String, service: String, client: String, protocol: String, target: String? = nil,
        address: String? = nil, tlsaName: String? = nil, dnssec: String? = nil, tlsa: [TLSARecordSeen]? = nil,
        tls: TLSDetails? = nil, certificate: CertificateDetails? = nil, match: MatchDetails? = nil,
        verdict: AuditVerdict, reason: AuditReason? = nil, bytesUp: Int = 0, bytesDown: Int = 0, durationMs: Int = 0
    ) {
        self.time = time
        self.id = id
        self.service = service
        self.client = client
        self.protocol = `protocol`
        self.target = target
        self.address = address
        self.tlsaName = tlsaName
        self.dnssec = dnssec
        self.tlsa = tlsa
        self.tls = tls
        self.certificate = certificate
        self.match = match
        self.verdict = verdict
        self.reason = reason
        self.bytesUp = bytesUp
        self.bytesDown = bytesDown
        self.durationMs = durationMs
    }
}

/// Where finished connections' records go: the audit log file, a test's collector.
public protocol AuditSink: Sendable {
    func record(_ record: AuditRecord, policy: DANEPolicy)
}
