import ArgumentParser
import BuildInfo

/// danezone: the authoritative server, its zone signer and key tools. This file and its
/// siblings only parse arguments and wire the libraries together (DESIGN.md).
@main
struct Danezone: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "danezone",
        abstract: "Authoritative DNS server with DNSSEC signing.",
        version: BuildInfo.version,
        subcommands: [Serve.self, Sign.self, Keygen.self, DSCommand.self])
}
