/// The oracle of the `config` fuzz target (Tests/Fuzz/config), shared with the test that
/// replays its corpus. Any crash, hang or failed precondition is a finding.
///
/// - A file that parses is written back with ``GatewayConfiguration/renderedINI()`` and must
///   parse again to an equal configuration.
/// - A file that does not parse yields at least one problem and at most the cap, every line
///   number within the file, in the order of the file.
public enum ConfigurationFuzzing {
    public static func check(_ bytes: [UInt8]) {
        let parser = GatewayConfigurationParser(file: "fuzz.conf")
        do throws(ConfigurationError) {
            let configuration = try parser.parse(bytes)
            let rendered = configuration.renderedINI()
            do throws(ConfigurationError) {
                let again = try parser.parse(rendered)
                precondition(again == configuration, "rendered configuration parses differently:\n\(rendered)")
            } catch {
                preconditionFailure("rendered configuration does not parse: \(error)\n\(rendered)")
            }
        } catch {
            let problems = error.problems
            precondition(!problems.isEmpty, "an error without problems")
            precondition(problems.count <= ConfigurationProblems.maximumCount + 1, "more problems than the cap")
            let lineCount = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
            var previous = 0
            for problem in problems {
                let line = problem.line ?? 0
                precondition(line >= previous, "problems out of order")
                precondition(line <= lineCount, "line \(line) past the end of a \(lineCount)-line file")
                previous = line
            }
        }
    }
}
