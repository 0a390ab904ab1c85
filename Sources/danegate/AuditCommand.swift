import ArgumentParser
import Foundation
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

            With --tlsrpt --domain DOMAIN, writes instead the SMTP TLS report of RFC 8460 §4 (JSON) \
            for the sessions whose target is DOMAIN or a name under it, over the last --since \
            (default 24h).
            """)

    @Argument(help: "The audit log (one JSON object per line).")
    var file: String

    @Flag(help: "Only connections whose verdict is not 'verified'.")
    var failed = false

    @Option(help: "Only records of the last DURATION (e.g. 30m, 24h, 3600).")
    var since: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(help: "Write an RFC 8460 TLS report (JSON) for --domain instead of the summary.")
    var tlsrpt = false

    @Option(help: "The policy domain of the TLS report: sessions whose target is it or a name under it.")
    var domain: String?

    @Option(help: "The report's organization-name (default: danegate on this host's name).")
    var organization: String?

    @Option(help: "The report's contact-info, an e-mail address (default: postmaster@ this host's name).")
    var contact: String?

    @Option(help: "The report's report-id (default: a new UUID).")
    var reportID: String?

    @Option(help: "The sending-mta-ip of the failures (default: each record's client address).")
    var sendingIP: String?

    func run() throws {
        if tlsrpt {
            if failed || json { throw ValidationError("--tlsrpt writes JSON of its own and counts every session: no --failed or --json") }
            try runTLSReport()
            return
        }
        if domain != nil { throw ValidationError("--domain goes with --tlsrpt") }
        var filter = AuditSummary.Filter(failedOnly: failed)
        if let since {
            let duration: Duration
            do throws(ConfigurationValueError) {
                duration = try AuditSummary.sinceDuration(since)
            } catch {
                throw ValidationError("--since: \(error.message)")
            }
            filter.sinceMilliseconds = RFC3339Time.nowMilliseconds() - Self.milliseconds(duration)
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

    /// `--tlsrpt`: the RFC 8460 report of `--domain` over the last `--since` (default 24h).
    private func runTLSReport() throws {
        guard let domain, !domain.isEmpty else { throw ValidationError("--tlsrpt needs --domain DOMAIN") }
        let duration: Duration
        do throws(ConfigurationValueError) {
            duration = try AuditSummary.sinceDuration(since ?? "24h")
        } catch {
            throw ValidationError("--since: \(error.message)")
        }
        let end = RFC3339Time.nowMilliseconds()
        let host = ProcessInfo.processInfo.hostName
        let header = TLSReport.Header(
            organizationName: organization ?? "danegate on \(host)", contactInfo: contact ?? "postmaster@\(host)",
            reportID: reportID ?? UUID().uuidString.lowercased(), startMilliseconds: end - Self.milliseconds(duration),
            endMilliseconds: end, sendingIP: sendingIP)
        let report: TLSReport
        do throws(AuditSummaryError) {
            report = try TLSReport.build(path: file, domain: domain, header: header)
        } catch {
            printToStandardError("danegate audit: \(error)")
            throw ExitCode(1)
        }
        print(report.json(), terminator: "")
        var notes: [String] = []
        if report.malformedLines > 0 { notes.append("\(report.malformedLines) lines were not audit records") }
        if report.unreported > 0 { notes.append("\(report.unreported) sessions left out: too many policies or failure details") }
        if !notes.isEmpty { printToStandardError(notes.joined(separator: "; ")) }
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
