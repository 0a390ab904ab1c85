import DANE
import EventLoop
import Foundation
import Gateway
import Testing
import TestSupport

/// The metrics of issue 13 as a Prometheus parser reads them: the counts of connections by
/// verdict and reason, bytes, the histograms, TLSA cache hits and misses, reloads, build info.
@Suite struct GatewayMetricsTests {
    private func record(_ service: String, _ verdict: AuditVerdict, _ reason: AuditReason? = nil, up: Int = 0, down: Int = 0)
        -> AuditRecord
    {
        AuditRecord(
            time: RFC3339Time.now(), id: "t", service: service, client: "127.0.0.1:1", protocol: "tls",
            verdict: verdict, reason: reason, bytesUp: up, bytesDown: down)
    }

    @Test func recordedEventsParseAsPrometheusText() throws {
        let metrics = GatewayMetrics(version: "1.2.3-test")
        for _ in 0..<3 { metrics.connectionOpened(service: "smtp") }
        metrics.connectionFinished(record("smtp", .verified, up: 10, down: 100))
        metrics.connectionFinished(record("smtp", .verified, up: 5, down: 50))
        metrics.connectionFinished(record("smtp", .refused, .dane(.daneNoMatch)))
        metrics.connectionFinished(record("irc", .refused, .clientNotAllowed))
        metrics.connectionClosed(service: "smtp")
        metrics.handshakeFinished(after: .milliseconds(30))
        metrics.handshakeFinished(after: .seconds(2))
        metrics.dnsLookupFinished(after: .microseconds(200))
        metrics.configReloaded(success: true)
        metrics.configReloaded(success: false)
        metrics.configReloaded(success: false)

        let parsed = try PrometheusText(metrics.exposition())
        let verified = ["service": "smtp", "verdict": "verified", "reason": ""]
        #expect(parsed.value("danegate_connections_total", verified) == 2)
        #expect(parsed.value("danegate_connections_total", ["service": "smtp", "verdict": "refused", "reason": "dane-no-match"]) == 1)
        #expect(parsed.value("danegate_connections_total", ["service": "irc", "verdict": "refused", "reason": "client-not-allowed"]) == 1)
        #expect(parsed.samples("danegate_connections_total").count == 3)
        #expect(parsed.types["danegate_connections"] == "counter")
        #expect(parsed.value("danegate_active_connections", ["service": "smtp"]) == 2)
        #expect(parsed.types["danegate_active_connections"] == "gauge")
        #expect(parsed.value("danegate_bytes_total", ["service": "smtp", "direction": "up"]) == 15)
        #expect(parsed.value("danegate_bytes_total", ["service": "smtp", "direction": "down"]) == 150)
        #expect(parsed.types["danegate_handshake_seconds"] == "histogram")
        #expect(parsed.value("danegate_handshake_seconds_count") == 2)
        #expect(parsed.value("danegate_handshake_seconds_bucket", ["le": "0.05"]) == 1)
        #expect(parsed.value("danegate_handshake_seconds_bucket", ["le": "+Inf"]) == 2)
        #expect(abs((parsed.value("danegate_handshake_seconds_sum") ?? 0) - 2.03) < 0.0001)
        #expect(parsed.value("danegate_dns_lookup_seconds_count") == 1)
        #expect(parsed.value("danegate_dns_lookup_seconds_bucket", ["le": "0.001"]) == 1)
        #expect(parsed.value("danegate_config_reloads_total", ["result": "success"]) == 1)
        #expect(parsed.value("danegate_config_reloads_total", ["result": "failure"]) == 2)
        #expect(parsed.value("danegate_tlsa_cache_hits_total") == 0)
        #expect(parsed.value("danegate_tlsa_cache_misses_total") == 0)
        #expect(parsed.value("danegate_build_info", ["version": "1.2.3-test"]) == 1)
    }

    @Test func freshMetricsShowEveryUnlabelledFamily() throws {
        let parsed = try PrometheusText(GatewayMetrics(version: "0").exposition())
        for family in [
            "danegate_tlsa_cache_hits", "danegate_tlsa_cache_misses", "danegate_config_reloads",
            "danegate_handshake_seconds", "danegate_dns_lookup_seconds", "danegate_build_info",
        ] {
            #expect(parsed.types[family] != nil, "\(family) missing")
        }
        #expect(parsed.value("danegate_handshake_seconds_count") == 0)
    }
}
