import DNSWire
import TLS

/// The verdict on one host, with everything the per-record table and the audit log need.
public struct HostReport: Sendable {
    /// DANE's verdict on the host.
    public enum Verdict: String, Sendable {
        /// A usable TLSA record authenticated the server.
        case pass
        /// DANE did not authenticate the server (see `reason`).
        case fail
    }

    /// Details of the TLS session.
    public struct TLSDetails: Sendable {
        public var version: String
        public var cipher: String
        public var verifyResult: Int32
        public var verifyResultText: String
        public var peerCertificateSHA256: [UInt8]?
        public var peerSPKISHA256: [UInt8]?
        /// The leaf's subject (RFC 2253) and notAfter (RFC 3339), when the peer sent a chain.
        public var peerSubject: String? = nil
        public var peerNotAfter: String? = nil
    }

    public var host: String
    public var port: UInt16
    /// The address connected to (or that would have been).
    public var address: String?
    public var tlsa: HostTLSA?
    /// Each TLSA record against the presented chain.
    public var records: [RecordResult]
    public var tls: TLSDetails?
    public var match: DANEMatch?
    public var verdict: Verdict
    public var reason: DANEReason?
    public var detail: String

    /// "secure", "insecure", "bogus", "indeterminate" or "not looked up".
    public var dnssec: String {
        guard let tlsa else { return "not looked up" }
        if case .lookupFailed = tlsa.outcome { return "failed" }
        return tlsa.status.name
    }
}
