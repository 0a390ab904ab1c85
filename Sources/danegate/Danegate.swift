import ArgumentParser
import BuildInfo

/// The `danegate` command: the gateway and its tools. Each subcommand only parses its
/// arguments and wires library pieces together.
@main
struct Danegate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "danegate",
        abstract: "A DANE-enforcing TLS gateway.",
        version: BuildInfo.version,
        subcommands: [RelayCommand.self, TunnelCommand.self])
}
