import BuildInfo
import DANE
import EventLoop
import Foundation
@testable import Gateway
import Testing
import TestSupport

/// A running gateway's `/metrics` against real upstreams (`openssl s_server` with the right and
/// a rogue certificate, the test DNS hierarchy): the counts equal the connections the test
/// made, by verdict and reason, and the audit records agree.
@Suite(.serialized) struct GatewayMetricsEndToEndTests {
    @Test func countsEqualTheConnectionsMadeByVerdictAndReason() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let metrics = GatewayMetrics(version: BuildInfo.version)
            let elsewhere = AddressRange(network: [192, 0, 2, 0], prefixLength: 24)
            let running = try RunningGateway(
                [
                    try testService("tls-good", .tls, .host("good.dane.test", port: fixture.good.port)),
                    try testService("tls-rogue", .tls, .host("rogue.dane.test", port: fixture.rogue.port)),
                    try testService("tls-closed", .tls, .host("good.dane.test", port: fixture.good.port), allow: [elsewhere]),
                ], dns: fixture.dns, metrics: metrics)
            let endpoint = MetricsEndpoint(loop: running.thread.loop, metrics: metrics)
            let address = try SocketAddress(parsing: "127.0.0.1:0")
            let started = DispatchSemaphore(value: 0)
            _ = running.thread.loop.execute {
                try? endpoint.start(address: address)
                started.signal()
            }
            started.wait()
            defer {
                let closed = DispatchSemaphore(value: 0)
                _ = running.thread.loop.execute {
                    endpoint.close()
                    closed.signal()
                }
                closed.wait()
            }
            let metricsPort = try #require(endpoint.localAddress?.port)

            let verifiedCount = 3
            var bytesUp = 0
            for index in 0..<verifiedCount {
                let line = "metrics line \(index)"
                let client = try BlockingSocket(connectingTo: running.port("tls-good"))
                client.send(Array("\(line)\n".utf8))
                bytesUp += line.utf8.count + 1
                try fixture.good.peer.waitForLine(containing: line, timeout: 20)
                try fixture.good.peer.send("answer to \(line)\n")
                #expect(text(receive(client) { text($0).contains("answer to \(line)") }).contains("answer to"))
                client.shutdownWrite()
                _ = receive(client)
                _ = try running.collector.wait(for: "tls-good", count: index + 1)
            }
            let rogueCount = 2
            for index in 0..<rogueCount {
                let client = try BlockingSocket(connectingTo: running.port("tls-rogue"))
                #expect(receive(client).isEmpty)
                _ = try running.collector.wait(for: "tls-rogue", count: index + 1)
            }
            let closed = try BlockingSocket(connectingTo: running.port("tls-closed"))
            #expect(receive(closed).isEmpty)
            _ = try running.collector.wait(for: "tls-closed")

            // The audit records say what the test did ...
            let audits = running.collector.auditRecords
            #expect(audits.filter { $0.verdict == .verified }.count == verifiedCount)
            #expect(audits.filter { $0.reason == .dane(.daneNoMatch) }.count == rogueCount)
            #expect(audits.filter { $0.reason == .clientNotAllowed }.count == 1)

            // ... and so do the metrics, through the endpoint and a real Prometheus parser.
            let response = text(try {
                let socket = try BlockingSocket(connectingTo: metricsPort)
                socket.send(Array("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
                return receive(socket)
            }())
            let body = try #require(response.range(of: "\r\n\r\n")).upperBound
            let parsed = try PrometheusText(Array(response[body...].utf8))
            #expect(parsed.value("danegate_connections_total", ["service": "tls-good", "verdict": "verified", "reason": ""]) == Double(verifiedCount))
            #expect(parsed.value("danegate_connections_total", ["service": "tls-rogue", "verdict": "refused", "reason": "dane-no-match"]) == Double(rogueCount))
            #expect(parsed.value("danegate_connections_total", ["service": "tls-closed", "verdict": "refused", "reason": "client-not-allowed"]) == 1)
            #expect(parsed.samples("danegate_connections_total").reduce(0) { $0 + $1.value } == Double(audits.count))
            for service in ["tls-good", "tls-rogue"] {
                #expect(parsed.value("danegate_active_connections", ["service": service]) == 0)
            }
            #expect(parsed.value("danegate_bytes_total", ["service": "tls-good", "direction": "up"]) == Double(bytesUp))
            #expect(parsed.value("danegate_bytes_total", ["service": "tls-good", "direction": "down"])
                == Double(audits.filter { $0.service == "tls-good" }.reduce(0) { $0 + $1.bytesDown }))
            // One upstream dial per connection that got past admission.
            #expect(parsed.value("danegate_handshake_seconds_count") == Double(verifiedCount + rogueCount))
            #expect((parsed.value("danegate_dns_lookup_seconds_count") ?? 0) >= Double(verifiedCount + rogueCount))
            // One TLSA question per dialed connection, each a cache hit or a miss; the first of
            // each name is a miss, the good name's later ones are hits (its TTL outlives the test).
            let hits = parsed.value("danegate_tlsa_cache_hits_total") ?? -1
            let misses = parsed.value("danegate_tlsa_cache_misses_total") ?? -1
            #expect(hits + misses == Double(verifiedCount + rogueCount))
            #expect(misses >= 2)
            #expect(hits >= Double(verifiedCount - 1))
            #expect(parsed.value("danegate_build_info", ["version": BuildInfo.version]) == 1)
        }
    }

    /// The default mode (validation in process): the validator's TLSA questions go through the
    /// same resolver cache and are counted there.
    @Test func tlsaCacheIsCountedWhenValidatingInProcess() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let metrics = GatewayMetrics(version: BuildInfo.version)
            let running = try RunningGateway(
                [try testService("tls-good", .tls, .host("good.dane.test", port: fixture.good.port))], dns: fixture.dns,
                validating: true, metrics: metrics)
            for index in 0..<2 {
                let line = "validated metrics line \(index)"
                let client = try BlockingSocket(connectingTo: running.port("tls-good"))
                client.send(Array("\(line)\n".utf8))
                try fixture.good.peer.waitForLine(containing: line, timeout: 20)
                try fixture.good.peer.send("answer to \(line)\n")
                _ = receive(client) { text($0).contains("answer to \(line)") }
                client.shutdownWrite()
                _ = receive(client)
                _ = try running.collector.wait(for: "tls-good", count: index + 1)
            }
            let parsed = try PrometheusText(metrics.exposition())
            #expect(parsed.value("danegate_connections_total", ["service": "tls-good", "verdict": "verified", "reason": ""]) == 2)
            #expect(parsed.value("danegate_tlsa_cache_misses_total") == 1)
            #expect(parsed.value("danegate_tlsa_cache_hits_total") == 1)
        }
    }
}
