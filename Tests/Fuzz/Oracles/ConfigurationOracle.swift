import Gateway

/// The oracle of the `config` fuzz target (Tests/Fuzz/config), also run over its corpus by
/// Tests/FuzzTests. `scripts/fuzz config` compiles this file with the entry point against the
/// Gateway module it builds from Sources/Gateway/Configuration.
///
/// - A file that parses is written back with `GatewayConfiguration.renderedINI()` and must
///   parse again to an equal configuration.
/// - A file that does not parse yields at least one problem and at most the cap, every line
///   number within the file, in the order of the file.
public enum ConfigurationOracle {
    public static func check(_ bytes: [UInt8]) throws(FuzzOracleViolation) {
        let parser = GatewayConfigurationParser(file: "fuzz.conf")
        let configuration: GatewayConfiguration
        do throws(ConfigurationError) {
            configuration = try parser.parse(bytes)
        } catch {
            try checkProblems(error.problems, in: bytes)
            return
        }
        let rendered = configuration.renderedINI()
        let again: GatewayConfiguration
        do throws(ConfigurationError) {
            again = try parser.parse(rendered)
        } catch {
            throw FuzzOracleViolation("rendered configuration does not parse: \(error)\n\(rendered)")
        }
        guard again == configuration else {
            throw FuzzOracleViolation("rendered configuration parses differently:\n\(rendered)")
        }
    }

    private static func checkProblems(_ problems: [ConfigurationProblem], in bytes: [UInt8]) throws(FuzzOracleViolation) {
        guard !problems.isEmpty else { throw FuzzOracleViolation("an error without problems") }
        guard problems.count <= ConfigurationError.maximumProblemCount + 1 else {
            throw FuzzOracleViolation("\(problems.count) problems, more than the cap")
        }
        let lineCount = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
        var previous = 0
        for problem in problems {
            let line = problem.line ?? 0
            guard line >= previous else { throw FuzzOracleViolation("problems out of order") }
            guard line <= lineCount else { throw FuzzOracleViolation("line \(line) past the end of a \(lineCount)-line file") }
            previous = line
        }
    }
}
