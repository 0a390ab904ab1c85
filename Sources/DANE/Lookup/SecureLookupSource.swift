import DNSSEC
import DNSWire

/// Where DANE gets DNS answers with their DNSSEC verdict. Two sources exist: the trusted AD bit
/// of a validating resolver on loopback (`TrustADLookupSource`) and in-process validation from
/// a trust anchor (`ValidatingLookupSource`).
public protocol SecureLookupSource: Sendable {
    /// One lookup and its verdict. A failed lookup is never an empty answer (DESIGN rule 4).
    func lookup(_ name: Name, _ type: RRType) async -> SecureLookup
    /// "trust-ad" or "validating", for reports.
    var mode: String { get }
}

/// A lookup's outcome.
public enum SecureLookup: Sendable {
    /// A response (NOERROR or NXDOMAIN) judged by DNSSEC: the verdict, the RRsets it is about
    /// (the only records DANE reads, DESIGN.md rule 12) and, when known, the chain that proved it.
    case answered(ValidationResult)
    /// No usable response: timeout, SERVFAIL without data, network error.
    case failed(String, timedOut: Bool)
}
