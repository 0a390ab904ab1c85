import ArgumentParser

/// The `danegate` command: the gateway and its tools. Each subcommand only parses its
/// arguments and wires library pieces together.
@main
struct Danegate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "danegate",
        abstract: "A DANE-enforcing TLS gateway.",
        subcommands: [RelayCommand.self, TunnelCommand.self, CheckConfigCommand.self, AuditCommand.self])
}
