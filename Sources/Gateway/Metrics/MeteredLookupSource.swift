import DANE
import DNSWire

/// A lookup source that times every lookup into `danegate_dns_lookup_seconds`; the answers are
/// the wrapped source's, untouched.
struct MeteredLookupSource: SecureLookupSource {
    let source: any SecureLookupSource
    let metrics: GatewayMetrics

    var mode: String { source.mode }

    func lookup(_ name: Name, _ type: RRType) async -> SecureLookup {
        let clock = ContinuousClock()
        let start = clock.now
        let result = await source.lookup(name, type)
        metrics.dnsLookupFinished(after: clock.now - start)
        return result
    }
}
