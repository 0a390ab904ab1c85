import ArgumentParser
import BuildInfo
import Foundation
import Gateway

/// The `danegate` command: the gateway and its tools. Each subcommand only parses its
/// arguments and wires library pieces together. Without a subcommand, `--config FILE` runs
/// the gateway in the foreground.
@main
struct Danegate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "danegate",
        abstract: "A DANE-enforcing TLS gateway.",
        version: BuildInfo.version,
        subcommands: [RelayCommand.self, TunnelCommand.self, CheckConfigCommand.self, AuditCommand.self])

    @Option(help: "Run the gateway from this configuration file (foreground, logs to stderr).")
    var config: String?

    func run() throws {
        guard let config else { throw CleanExit.helpRequest(self) }
        let configuration: GatewayConfiguration
        do {
            configuration = try GatewayEntry.load(config)
        } catch {
            // The same lines as check-config: FILE:LINE: key: message.
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
        try GatewayEntry.run(configuration)
    }
}
