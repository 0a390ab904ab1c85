import ArgumentParser
import Gateway

/// `danegate audit FILE`: which targets failed DANE and why, from the audit log.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Summarise an audit log by service, target, verdict and reason.",
        discussion: """
            Reads the log once, in bounded memory: at most \(AuditSummary.maximumGroups) groups are kept \
            (records beyond them are counted as ungrouped) and lines longer than \
            \(AuditSummary.maximumLineLength) bytes are skipped. Lines that are not audit records are \
            counted and reported, never fatal. With --json, prints an array of \
            {service, target, verdict, reason, count, first, last}; the counts of malformed and \
            ungrouped lines then go to stderr.
            """)

    @Argument(help: "The audit log (one JSON object per line).")
    var file: String

    @Flag(help: "Only connections whose verdict is not 'verified'.")
    var failed = false

    @Option(help: "Only records of the last DURATION (e.g. 30m, 24h, 3600).")
    var since: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        var filter = AuditSummary.Filter(failedOnly: failed)
        if let since {
            let duration: Duration
            do throws(ConfigurationValueError) {
                duration = try AuditSummary.sinceDuration(since)
            } catch {
                throw ValidationError("--since: \(error.message)")
            }
            let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
            filter.sinceMilliseconds = RFC3339Time.nowMilliseconds() - milliseconds
        }
        let summary: AuditSummary
        do throws(AuditSummaryError) {
            summary = try AuditSummary.summarize(path: file, filter: filter)
        } catch {
            printToStandardError("danegate audit: \(error)")
            throw ExitCode(1)
        }
        if json {
            print(AuditReport.json(summary), terminator: "")
            if let notes = AuditReport.notes(summary) { printToStandardError(notes) }
        } else {
            print(AuditReport.table(summary), terminator: "")
        }
    }
}
