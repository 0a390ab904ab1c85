import ArgumentParser
import DANE
import DNSSEC
import Foundation
import Resolver

/// Where DNS answers come from and how their DNSSEC status is decided.
struct DNSOptions: ParsableArguments {
    @Option(name: .customLong("resolver"), help: "Recursive resolver ADDR[:PORT] (default: resolv.conf).")
    var resolver: String?

    @Option(name: .customLong("trust-anchor"), help: "Trust anchor file for in-process validation.")
    var trustAnchor: String = "/usr/share/dns/root.key"

    @Flag(name: .customLong("trust-ad"), help: "Trust the AD bit of a validating resolver on loopback.")
    var trustAD = false

    @Option(name: .customLong("dns-timeout"), help: "Seconds to wait for each DNS server.")
    var dnsTimeout: Int = 5

    /// The resolver and the lookup source the options describe.
    func makeSource() throws -> (any SecureLookupSource) {
        var configuration: ResolverConfiguration
        do {
            if let resolver {
                configuration = try ResolverConfiguration(serverStrings: [resolver])
            } else {
                configuration = try ResolverConfiguration(resolvConf: ResolvConf.load())
            }
            configuration.perServerTimeout = .seconds(max(1, dnsTimeout))
            if trustAD { try configuration.requireTrustAD() }
        } catch {
            throw ValidationError("resolver: \(error)")
        }
        let asyncResolver: AsyncResolver
        do {
            asyncResolver = try AsyncResolver(configuration: configuration)
        } catch {
            throw ToolFailure(.dnsFailure, "cannot start the resolver: \(error)")
        }
        if trustAD { return TrustADLookupSource(resolver: asyncResolver) }
        let text: String
        do {
            text = try String(contentsOfFile: trustAnchor, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read the trust anchor file \(trustAnchor): \(error.localizedDescription)")
        }
        let anchors: [TrustAnchor]
        if let parsed = try? ZoneFileTrustAnchors.parse(text, fileName: trustAnchor) {
            anchors = parsed
        } else {
            do {
                anchors = try BINDTrustAnchors.parse(text)
            } catch {
                throw ValidationError("no trust anchor in \(trustAnchor): \(error)")
            }
        }
        let validator = DNSSECValidator(
            anchors: TrustAnchorStore(anchors), fetcher: asyncResolver,
            clock: { UInt64(max(0, Date().timeIntervalSince1970)) })
        return ValidatingLookupSource(validator: validator)
    }
}

/// A failure that ends the tool with an exit status of its category.
struct ToolFailure: Error, CustomStringConvertible {
    let category: DANEReason.Category
    let description: String

    init(_ category: DANEReason.Category, _ description: String) {
        self.category = category
        self.description = description
    }
}
