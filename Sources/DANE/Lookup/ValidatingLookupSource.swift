import DNSSEC
import DNSWire

/// Validates every answer in process from a trust anchor (the default mode): the validator
/// fetches with DO and CD through its fetcher and walks the chain itself.
public struct ValidatingLookupSource: SecureLookupSource {
    public let validator: DNSSECValidator
    public var mode: String { "validating" }

    public init(validator: DNSSECValidator) {
        self.validator = validator
    }

    public func lookup(_ name: Name, _ type: RRType) async -> SecureLookup {
        let (response, result) = await validator.lookup(name, type)
        guard let response else {
            let text = result.status.reason?.text ?? "lookup failed"
            return .failed(text, timedOut: text.contains("timeout"))
        }
        guard response.rcode == .noError || response.rcode == .nxDomain else {
            return .failed("the resolver answered \(response.rcode)", timedOut: false)
        }
        return .answered(result)
    }
}
