import DANE
import DNSSEC
import Foundation
import Resolver

/// The DNS side of a gateway from its global settings: the resolvers (or resolv.conf), and
/// either in-process validation from the trust anchor file or the AD bit of a loopback
/// validating resolver (`dnssec = trust-ad`).
public struct GatewayLookupSource {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let resolver: AsyncResolver
    public let source: any SecureLookupSource

    public init(_ settings: GlobalSettings) throws(Failure) {
        var configuration: ResolverConfiguration
        do {
            configuration =
                settings.resolvers.isEmpty
                ? try ResolverConfiguration(resolvConf: ResolvConf.load())
                : try ResolverConfiguration(servers: settings.resolvers)
            if settings.dnssec == .trustAD { try configuration.requireTrustAD() }
            resolver = try AsyncResolver(configuration: configuration)
        } catch {
            throw Failure(description: "resolver: \(error)")
        }
        switch settings.dnssec {
        case .trustAD:
            source = TrustADLookupSource(resolver: resolver)
        case .validate(let path):
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                resolver.shutdown()
                throw Failure(description: "cannot read the trust anchor file \(path): \(error.localizedDescription)")
            }
            guard let anchors = (try? ZoneFileTrustAnchors.parse(text, fileName: path)) ?? (try? BINDTrustAnchors.parse(text)),
                !anchors.isEmpty
            else {
                resolver.shutdown()
                throw Failure(description: "no trust anchor in \(path)")
            }
            let validator = DNSSECValidator(
                anchors: TrustAnchorStore(anchors), fetcher: resolver,
                clock: { UInt64(max(0, Date().timeIntervalSince1970)) })
            source = ValidatingLookupSource(validator: validator)
        }
    }
}
