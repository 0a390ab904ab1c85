import DNSSEC
import DNSWire

/// The `trust-ad` mode: believe the AD bit of a validating resolver on a loopback address
/// (RFC 6698 §4.1 and RFC 7671 §3 allow it only over a secure path; loopback is the one we
/// accept). AD from loopback → secure; anything else → insecure, since nothing here can tell
/// unsigned data from data nobody checked. A failed lookup (timeout, SERVFAIL — which a
/// validating resolver also sends for bogus data) is indeterminate.
///
/// Same answer type as ``ValidatingResolver``, so callers can switch modes.
public final class TrustADResolver: ValidatedLookup {
    public let resolver: AsyncResolver

    /// `resolver` should be configured with `setTrustAD(true)`; without it no answer is secure.
    public init(resolver: AsyncResolver) {
        self.resolver = resolver
    }

    /// A resolver over the servers of `configuration` in trust-AD mode. Servers that are not on
    /// a loopback address are an `.invalidConfiguration` error: their AD bit would never count.
    public convenience init(configuration: ResolverConfiguration) throws(ResolverError) {
        var configuration = configuration
        try configuration.requireTrustAD()
        self.init(resolver: try AsyncResolver(configuration: configuration))
    }

    public func resolve(_ name: Name, _ type: RRType) async -> ValidatedAnswer {
        let question = Question(name: name, type: type)
        let answer: ResolverAnswer
        do {
            answer = try await resolver.resolve(name, type, options: ResolveOptions(dnssecOK: true))
        } catch {
            let reason: ValidationReason
            if error.rcode == .servFail {
                reason = ValidationReason(
                    .dnssecIndeterminate, "the resolver answered SERVFAIL (bogus data or a failed lookup): \(error.description)")
            } else {
                reason = ValidationReason(ValidatingResolver.infoCode(for: error), error.description)
            }
            return .failure(question, rcode: error.rcode, reason: reason)
        }
        let message = answer.message
        let status: SecurityStatus
        if answer.authenticDataTrusted {
            status = .secure
        } else if answer.authenticData {
            status = .insecure(ValidationReason(.other, "AD set by \(answer.server), which is not a trusted loopback resolver"))
        } else {
            status = .insecure(ValidationReason(.other, "the resolver did not authenticate the answer (AD clear)"))
        }
        // The same answer walk as in-process validation: only the RRsets on the chain from
        // the query name are handed out, and a CNAME beside other data is bogus.
        let result = ValidationResult.trustingAuthenticatedData(message, for: question, status: status)
        return ValidatedAnswer(
            question: question, rcode: message.rcode, rrsets: result.rrsets, status: result.status, names: result.names,
            remainingTTL: answer.remainingTTL, fromCache: answer.fromCache, message: message)
    }
}
