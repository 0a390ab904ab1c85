import TLS

/// Why a DANE check did not succeed: one code per failure, the vocabulary the `dane` tool prints
/// and the gateway's audit log records (issue 6).
public enum DANEReason: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// A usable TLSA RRset was secure, and no record matched the presented chain.
    case daneNoMatch = "dane-no-match"
    /// A DANE-TA(2) record matched an issuer, but the certificate names none of the reference
    /// identifiers (RFC 7671 §5.2, RFC 7672 §3.2.3).
    case daneNameMismatch = "dane-name-mismatch"
    /// The TLSA answer failed DNSSEC validation.
    case tlsaBogus = "tlsa-bogus"
    /// The TLSA lookup failed (SERVFAIL, network error, truncation without TCP): never read as
    /// "no TLSA" (DESIGN rule 4).
    case tlsaLookupFailed = "tlsa-lookup-failed"
    /// Secure TLSA records exist but none is usable for the protocol (RFC 7672 §3.1.3).
    case tlsaUnusable = "tlsa-unusable"
    /// The TLSA RRset (or the host's address records) is in an insecure zone.
    case tlsaInsecure = "tlsa-insecure"
    /// TLSA records are securely absent.
    case noTLSA = "no-tlsa"
    /// The MX RRset is not secure, so its hosts' TLSA records are not used (RFC 7672 §2.2.1).
    case mxInsecure = "mx-insecure"
    /// The SRV RRset is not secure (RFC 7673 §3.1).
    case srvInsecure = "srv-insecure"
    /// TLSA is secure but the server offered no STARTTLS: a downgrade (DESIGN rule 6).
    case starttlsNotSupported = "starttls-not-supported"
    /// The server sent bytes after its STARTTLS go-ahead (DESIGN rule 2).
    case starttlsInjection = "starttls-injection"
    /// The TLS handshake failed for a protocol reason.
    case tlsHandshakeFailed = "tls-handshake-failed"
    /// No TCP connection to the server.
    case upstreamUnreachable = "upstream-unreachable"
    /// A deadline passed (DNS lookup or the exchange with the server).
    case timeout

    public var description: String { rawValue }

    /// The RFC 8460 §4.3 result type a TLS report uses for this failure. `verifyResult` refines
    /// a certificate failure (an expired certificate → `certificate-expired`).
    public func tlsReportResultType(verifyResult: CertificateVerifyResult? = nil) -> String {
        switch self {
        case .daneNoMatch:
            return verifyResult == .certificateExpired ? "certificate-expired" : "certificate-not-trusted"
        case .daneNameMismatch: return "certificate-host-mismatch"
        case .tlsaBogus, .tlsaLookupFailed: return "dnssec-invalid"
        case .tlsaUnusable: return "tlsa-invalid"
        case .tlsaInsecure, .noTLSA, .mxInsecure, .srvInsecure: return "dane-required"
        case .starttlsNotSupported: return "starttls-not-supported"
        case .starttlsInjection, .tlsHandshakeFailed, .upstreamUnreachable, .timeout: return "validation-failure"
        }
    }

    /// The broad class of the failure, which decides the `dane` tool's exit status.
    public var category: Category {
        switch self {
        case .daneNoMatch, .daneNameMismatch, .starttlsNotSupported, .starttlsInjection, .tlsHandshakeFailed:
            return .verificationFailed
        case .tlsaUnusable, .tlsaInsecure, .noTLSA, .mxInsecure, .srvInsecure:
            return .noSecureUsableTLSA
        case .tlsaBogus, .tlsaLookupFailed, .timeout:
            return .dnsFailure
        case .upstreamUnreachable:
            return .connectFailed
        }
    }

    /// The class of a reason, numbered as `dane`'s exit status (1 verification failed, 2 no
    /// secure usable TLSA, 3 DNS failure, 4 could not connect).
    public enum Category: Int, Sendable, Comparable {
        case verificationFailed = 1
        case noSecureUsableTLSA = 2
        case dnsFailure = 3
        case connectFailed = 4

        public static func < (lhs: Category, rhs: Category) -> Bool { lhs.rawValue < rhs.rawValue }
    }
}
