import DNSSEC
import DNSWire
import Resolver

/// Trusts the AD bit of a validating resolver on loopback (RFC 6698 §4: the path to it must be
/// secure). AD set → secure; AD clear → insecure. A validating resolver answers bogus data with
/// SERVFAIL, so a SERVFAIL is asked again with CD: data then means bogus, anything else a failed
/// lookup (the two stay distinct, DESIGN rule 4).
public struct TrustADLookupSource: SecureLookupSource {
    public let resolver: AsyncResolver
    public var mode: String { "trust-ad" }

    public init(resolver: AsyncResolver) {
        self.resolver = resolver
    }

    public func lookup(_ name: Name, _ type: RRType) async -> SecureLookup {
        do {
            let answer = try await resolver.resolve(name, type)
            let status: SecurityStatus =
                answer.authenticDataTrusted
                ? .secure
                : .insecure(ValidationReason(.other, answer.authenticData
                    ? "AD bit set but not trusted (resolver not on loopback, or trust-ad off)"
                    : "the validating resolver did not set AD"))
            return .answered(ValidationResult.trustingAuthenticatedData(answer.message, for: Question(name: name, type: type), status: status))
        } catch {
            if error.rcode == .servFail,
                let retry = try? await resolver.resolve(
                    name, type, options: ResolveOptions(checkingDisabled: true, useCache: false)),
                retry.rcode == .noError || retry.rcode == .nxDomain
            {
                return .answered(ValidationResult.trustingAuthenticatedData(
                    retry.message, for: Question(name: name, type: type),
                    status: .bogus(ValidationReason(.dnssecBogus, "the validating resolver answered SERVFAIL; with CD it has data"))))
            }
            return .failed(error.description, timedOut: error.code == .timeout)
        }
    }
}
