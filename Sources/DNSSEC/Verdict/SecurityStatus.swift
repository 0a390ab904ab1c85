import DNSWire

/// Why a verdict is what it is: a sentence for people and the RFC 8914 Extended DNS Error
/// INFO-CODE for the wire (e.g. 6 DNSSEC Bogus, 7 Signature Expired, 9 DNSKEY Missing).
public struct ValidationReason: Error, Sendable, Hashable, CustomStringConvertible {
    /// The RFC 8914 INFO-CODE that best names the cause.
    public var code: ExtendedDNSError.InfoCode
    /// A human explanation, suitable for EXTRA-TEXT and logs.
    public var text: String

    public init(_ code: ExtendedDNSError.InfoCode, _ text: String) {
        self.code = code
        self.text = text
    }

    /// The reason as an Extended DNS Error option.
    public var extendedDNSError: ExtendedDNSError { ExtendedDNSError(code, extraText: text) }

    public var description: String { "\(text) (EDE \(code.rawValue))" }
}

/// The four security states of RFC 4033 §5 / RFC 4035 §4.3, as values: a verdict is never a
/// thrown error.
///
/// - `secure`: a chain of signed DNSKEY and DS records leads from a trust anchor to the data.
/// - `insecure`: the chain provably ends above the data (a securely denied DS, an opt-out span,
///   only unsupported algorithms, NSEC3 iterations above the limit).
/// - `bogus`: there should be a chain, and it is broken.
/// - `indeterminate`: there is no trust anchor to decide with.
public enum SecurityStatus: Sendable, Hashable, CustomStringConvertible {
    case secure
    case insecure(ValidationReason)
    case bogus(ValidationReason)
    case indeterminate(ValidationReason)

    /// The reason of a non-secure verdict.
    public var reason: ValidationReason? {
        switch self {
        case .secure: nil
        case .insecure(let reason), .bogus(let reason), .indeterminate(let reason): reason
        }
    }

    public var isSecure: Bool { if case .secure = self { true } else { false } }
    public var isInsecure: Bool { if case .insecure = self { true } else { false } }
    public var isBogus: Bool { if case .bogus = self { true } else { false } }
    public var isIndeterminate: Bool { if case .indeterminate = self { true } else { false } }

    /// A short word for the state: "secure", "insecure", "bogus", "indeterminate".
    public var name: String {
        switch self {
        case .secure: "secure"
        case .insecure: "insecure"
        case .bogus: "bogus"
        case .indeterminate: "indeterminate"
        }
    }

    public var description: String {
        guard let reason else { return name }
        return "\(name): \(reason)"
    }

    /// The weaker of two verdicts, for data that depends on both (a CNAME chain, an answer and
    /// its wildcard proof): bogus beats indeterminate beats insecure beats secure.
    public func combined(with other: SecurityStatus) -> SecurityStatus {
        rank >= other.rank ? self : other
    }

    private var rank: Int {
        switch self {
        case .secure: 0
        case .insecure: 1
        case .indeterminate: 2
        case .bogus: 3
        }
    }
}
