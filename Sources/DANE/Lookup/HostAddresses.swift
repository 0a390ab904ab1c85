import DNSSEC
import DNSWire

/// A host's addresses with their verdict and the end of their CNAME chain.
public struct HostAddresses: Sendable {
    public var addresses: [String]
    public var status: SecurityStatus
    /// The fully expanded name, when the address answer followed a CNAME (RFC 7671 §7).
    public var expandedName: Name
    /// Set when both lookups failed.
    public var failure: String?

    /// Looks up A and AAAA; the verdict is the weaker of the two answers.
    public static func lookup(_ host: Name, source: any SecureLookupSource) async -> HostAddresses {
        var addresses: [String] = []
        var status: SecurityStatus? = nil
        var expanded = host
        var failures: [String] = []
        for type in [RRType.a, RRType.aaaa] {
            switch await source.lookup(host, type) {
            case .failed(let text, _):
                failures.append("\(type.mnemonic): \(text)")
            case .answered(let message, let answerStatus, _):
                status = status.map { $0.combined(with: answerStatus) } ?? answerStatus
                let chain = AnswerChain(message, name: host, type: type)
                expanded = chain.expandedName
                for record in chain.records {
                    if let a = record.rdata as? A { addresses.append(a.presentation) }
                    if let aaaa = record.rdata as? AAAA { addresses.append(aaaa.presentation) }
                }
            }
        }
        return HostAddresses(
            addresses: addresses,
            status: status ?? .indeterminate(ValidationReason(.networkError, failures.joined(separator: "; "))),
            expandedName: expanded, failure: failures.count == 2 ? failures.joined(separator: "; ") : nil)
    }
}
