import BuildInfo
import Foundation
import Gateway
import Testing
import TestSupport

/// `danegate --config` with `metrics = 127.0.0.1:0`: the program prints the endpoint's address
/// and answers `/healthz` and `/metrics` while it serves.
@Suite struct DanegateMetricsCommandTests {
    @Test func configuredEndpointServesHealthAndMetrics() throws {
        let folder = try TemporaryDirectory(prefix: "danegate-metrics")
        let config = try folder.write("danegate.conf", """
            resolver = 127.0.0.1:1
            dnssec = trust-ad
            metrics = 127.0.0.1:0

            [web]
            accept = 127.0.0.1:0
            connect = www.example.org:443
            protocol = http

            """)
        let danegate = try PeerProcess(try builtProduct("danegate"), ["--config", config])
        defer { danegate.kill() }
        let groups = try danegate.waitForMatch(#"METRICS 127\.0\.0\.1:(\d+)"#)
        let port = try #require(groups.count == 2 ? UInt16(groups[1]) : nil, "\(danegate.transcript)")
        _ = try danegate.waitForMatch(#"LISTEN web 127\.0\.0\.1:\d+"#)

        func get(_ path: String) throws -> String {
            let socket = try BlockingSocket(connectingTo: port)
            socket.send(Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
            return text(receive(socket))
        }
        let health = try get("/healthz")
        #expect(health.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(health)")
        let response = try get("/metrics")
        let body = try #require(response.range(of: "\r\n\r\n")).upperBound
        let parsed = try PrometheusText(Array(response[body...].utf8))
        #expect(parsed.value("danegate_build_info", ["version": BuildInfo.version]) == 1)
        #expect(parsed.value("danegate_config_reloads_total", ["result": "failure"]) == 0)

        let version = try run(try builtProduct("danegate"), ["--version"]).check("danegate --version")
        #expect(version.stdout == BuildInfo.version + "\n")
    }
}
