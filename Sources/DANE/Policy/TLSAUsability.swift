import DNSWire
import TLS

/// Which TLSA records of an RRset a client may use (RFC 7671 §4, RFC 7672 §3.1.3), before
/// OpenSSL sees them. "Every record unusable" is its own outcome (`tlsa-unusable`), not "no TLSA".
public enum TLSAUsability {
    /// Why one record is unusable, or nil when it is usable for `service`.
    public static func unusableReason(_ record: TLSA, for service: ServiceProtocol) -> String? {
        switch record.usage {
        case .pkixTA, .pkixEE:
            if service.ignoresPKIXUsages {
                return "\(service.rawValue) ignores PKIX usages 0 and 1 (RFC 7672 §3.1.3)"
            }
        case .daneTA, .daneEE:
            break
        case .privateUse, .unassigned:
            return "unknown certificate usage \(record.usage.rawValue)"
        }
        switch record.selector {
        case .fullCertificate, .subjectPublicKeyInfo: break
        case .privateUse, .unassigned: return "unknown selector \(record.selector.rawValue)"
        }
        switch record.matchingType {
        case .exact:
            if record.associationData.isEmpty { return "empty association data" }
        case .sha256:
            if record.associationData.count != 32 { return "SHA-256 data is \(record.associationData.count) bytes, not 32" }
        case .sha512:
            if record.associationData.count != 64 { return "SHA-512 data is \(record.associationData.count) bytes, not 64" }
        case .privateUse, .unassigned:
            return "unknown matching type \(record.matchingType.rawValue)"
        }
        return nil
    }

    /// Splits an RRset into the usable records and the unusable ones with their reasons.
    public static func partition(_ records: [TLSA], for service: ServiceProtocol) -> (usable: [TLSA], unusable: [UnusableRecord]) {
        var usable: [TLSA] = []
        var unusable: [UnusableRecord] = []
        for record in records {
            if let reason = unusableReason(record, for: service) {
                unusable.append(UnusableRecord(record: record, reason: reason))
            } else {
                usable.append(record)
            }
        }
        return (usable, unusable)
    }
}

/// A TLSA record set aside, with the reason.
public struct UnusableRecord: Sendable, Equatable {
    public let record: TLSA
    public let reason: String

    public init(record: TLSA, reason: String) {
        self.record = record
        self.reason = reason
    }
}

extension TLSA {
    /// The record as OpenSSL's DANE API takes it.
    public var openSSLRecord: TLSARecord {
        TLSARecord(usage: usage.rawValue, selector: selector.rawValue, matchingType: matchingType.rawValue, data: associationData)
    }

    /// A DNS TLSA record from the engine's form.
    public init(_ record: TLSARecord) {
        self.init(
            usage: CertificateUsage(rawValue: record.usage), selector: Selector(rawValue: record.selector),
            matchingType: MatchingType(rawValue: record.matchingType), associationData: record.data)
    }

    /// Parses `"U S M HEX"` (RFC 6698 §2.2 presentation; RFC 7218 mnemonics allowed).
    public init(presentationText text: String) throws(DNSWireError) {
        // TLSA fields hold no quotes or escapes: whitespace splits them.
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map { PresentationToken(String($0)) }
        guard let parsed = try parseRDATA(type: .tlsa, tokens: tokens, origin: nil) as? TLSA else {
            throw DNSWireError(.badSyntax, "not a TLSA record: \(text)")
        }
        self = parsed
    }
}
