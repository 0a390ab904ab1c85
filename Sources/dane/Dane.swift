import ArgumentParser
import BuildInfo

/// `dane`: TLSA lookup, offline verification, record generation, live probes and a validating
/// query. Parsing and wiring only; the work is in the DANE library.
@main
struct Dane: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dane",
        abstract: "Debug DANE TLSA records: look them up, verify certificates, generate records, probe servers.",
        discussion: """
            Exit status: 0 success, 1 verification failed, 2 no secure usable TLSA, 3 DNS failure, \
            4 could not connect, 64 usage error.
            """,
        version: BuildInfo.version,
        subcommands: [LookupCommand.self, VerifyCommand.self, GenCommand.self, ProbeCommand.self, QueryCommand.self])
}
