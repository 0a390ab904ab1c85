import ArgumentParser
import Gateway

/// `danegate check-config FILE`: reads and checks the configuration without starting anything.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Check a gateway configuration file without starting the gateway.",
        discussion: """
            Exits 0 when the file is good. Otherwise prints every problem, one per line as \
            FILE:LINE: key: message, and exits 1.
            """)

    @Argument(help: "The configuration file (INI, stunnel style).")
    var file: String

    func run() throws {
        do throws(ConfigurationError) {
            let configuration = try GatewayConfiguration.load(path: file)
            let count = configuration.services.count
            print("\(file): OK, \(count) service\(count == 1 ? "" : "s")")
        } catch {
            for problem in error.problems { printToStandardError(problem.description) }
            throw ExitCode(1)
        }
    }
}
