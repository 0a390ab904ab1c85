import EventLoop
import Gateway
import Testing

/// `metrics = ADDR:PORT` (issue 13): a global key like the others, rendered back, checked.
@Suite struct MetricsConfigurationTests {
    private let service = """
        [web]
        accept = 127.0.0.1:8080
        connect = www.example.org:443
        protocol = http

        """

    private func problems(_ text: String) -> [ConfigurationProblem] {
        do throws(ConfigurationError) {
            _ = try GatewayConfigurationParser(file: "m.conf").parse(text)
            Issue.record("parsed, expected problems")
            return []
        } catch {
            return error.problems
        }
    }

    @Test func metricsAddressIsReadAndRenderedBack() throws {
        let configuration = try GatewayConfigurationParser(file: "m.conf").parse("metrics = [::1]:9100\n" + service)
        #expect(configuration.global.metrics == (try SocketAddress(parsing: "[::1]:9100")))
        #expect(configuration.renderedINI().contains("metrics = [::1]:9100\n"))
        #expect(try GatewayConfigurationParser(file: "r.conf").parse(configuration.renderedINI()) == configuration)
        let without = try GatewayConfigurationParser(file: "m.conf").parse(service)
        #expect(without.global.metrics == nil)
        #expect(!without.renderedINI().contains("metrics"))
    }

    @Test func badMetricsAddressNamesLineAndKey() {
        let found = problems("log-level = info\nmetrics = localhost:9100\n" + service)
        #expect(found.count == 1)
        #expect(found.first?.line == 2)
        #expect(found.first?.key == "metrics")
        #expect(found.first?.description.hasPrefix("m.conf:2: metrics: expected ADDR:PORT") == true)
        #expect(problems("metrics = 127.0.0.1\n" + service).first?.key == "metrics")
        #expect(problems("metrics = 127.0.0.1:99999\n" + service).first?.key == "metrics")
    }

    @Test func metricsInASectionIsAGlobalKey() {
        let found = problems(service + "metrics = 127.0.0.1:9100\n")
        #expect(found.first?.key == "metrics")
        #expect(found.first?.message.contains("global key") == true)
    }

    @Test func metricsCannotTakeAServicePort() {
        let found = problems("metrics = 0.0.0.0:8080\n" + service)
        #expect(found.map(\.key) == ["metrics"])
        #expect(found.first?.message == "0.0.0.0:8080 is already the accept address of [web]")
        #expect(problems("metrics = 127.0.0.1:8080\n" + service).first?.line == 1)
    }
}
