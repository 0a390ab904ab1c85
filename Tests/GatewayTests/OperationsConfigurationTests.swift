import Gateway
import Testing

/// The global keys of issue 13: `workers` and `drain-timeout`.
@Suite struct OperationsConfigurationTests {
    private static let service = "[s]\naccept = 127.0.0.1:1\nconnect = a.example:443\nprotocol = tls\n"

    private func parse(_ text: String) throws(ConfigurationError) -> GatewayConfiguration {
        try GatewayConfigurationParser(file: "test.conf").parse(text)
    }

    @Test func defaultsAreOneLoopPerCoreAndThirtySeconds() throws {
        let configuration = try parse(Self.service)
        #expect(configuration.global.workers == nil)
        #expect(configuration.global.drainTimeout == .seconds(30))
    }

    @Test func workersAndDrainTimeoutAreRead() throws {
        let configuration = try parse("workers = 4\ndrain-timeout = 90s\n" + Self.service)
        #expect(configuration.global.workers == 4)
        #expect(configuration.global.drainTimeout == .seconds(90))
        // The rendering spells them out and parses back to the same configuration.
        #expect(try parse(configuration.renderedINI()) == configuration)
    }

    @Test(arguments: [
        ("workers = 0", "workers"), ("workers = 257", "workers"), ("workers = two", "workers"),
        ("drain-timeout = 0", "drain-timeout"), ("drain-timeout = 2h", "drain-timeout"),
        ("drain-timeout = soon", "drain-timeout"),
    ])
    func badValuesNameTheKeyAndLine(line: String, key: String) {
        do throws(ConfigurationError) {
            _ = try parse(line + "\n" + Self.service)
            Issue.record("\(line) parsed")
        } catch {
            #expect(error.problems.first?.key == key)
            #expect(error.problems.first?.line == 1)
        }
    }

    @Test func workersInAServiceSectionIsAnError() {
        do throws(ConfigurationError) {
            _ = try parse(Self.service + "workers = 2\n")
            Issue.record("parsed")
        } catch {
            #expect(error.problems.first?.key == "workers")
        }
    }
}
