/// How `danegate audit` prints an ``AuditSummary``: a table for people, JSON for scripts.
public enum AuditReport {
    /// `[{service, target, verdict, reason, count, first, last}, ...]`, one object per line,
    /// most records first.
    public static func json(_ summary: AuditSummary) -> String {
        let groups = summary.sortedGroups
        guard !groups.isEmpty else { return "[]\n" }
        var text = "[\n"
        for (index, entry) in groups.enumerated() {
            var json = JSONWriter()
            json.beginObject()
            json.key("service"); json.string(entry.group.service)
            json.key("target"); json.string(entry.group.target)
            json.key("verdict"); json.string(entry.group.verdict.rawValue)
            json.key("reason"); json.string(entry.group.reason)
            json.key("count"); json.number(entry.tally.count)
            json.key("first"); json.string(entry.tally.first)
            json.key("last"); json.string(entry.tally.last)
            json.endObject()
            text += "  " + json.text + (index + 1 < groups.count ? ",\n" : "\n")
        }
        return text + "]\n"
    }

    /// A table with a header, one row per group, and the totals below it.
    public static func table(_ summary: AuditSummary) -> String {
        let header = ["SERVICE", "TARGET", "VERDICT", "REASON", "COUNT", "FIRST", "LAST"]
        let rows = summary.sortedGroups.map { entry in
            [
                entry.group.service, entry.group.target ?? "-", entry.group.verdict.rawValue, entry.group.reason ?? "-",
                String(entry.tally.count), entry.tally.first, entry.tally.last,
            ]
        }
        var widths = header.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        var text = ""
        for row in [header] + rows {
            let cells = row.enumerated().map { column, cell in
                // Right-align the count; pad the others, except the last column.
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                if column == 4 { return padding + cell }
                return column == row.count - 1 ? cell : cell + padding
            }
            text += cells.joined(separator: "  ") + "\n"
        }
        return text + totals(summary) + "\n"
    }

    /// `N records in M groups`, and what did not count (or nil when nothing needs saying
    /// beyond the table): malformed lines, records beyond the group limit.
    public static func notes(_ summary: AuditSummary) -> String? {
        var notes: [String] = []
        if summary.malformedLines > 0 { notes.append("\(summary.malformedLines) malformed lines skipped") }
        if summary.ungrouped > 0 {
            notes.append(
                "\(summary.ungrouped) records beyond the limit of \(AuditSummary.maximumGroups) groups not grouped")
        }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }

    private static func totals(_ summary: AuditSummary) -> String {
        var text = "\(summary.records) records in \(summary.tallies.count) groups"
        if summary.filteredOut > 0 { text += "; \(summary.filteredOut) left out by --failed/--since" }
        if let notes = notes(summary) { text += "; " + notes }
        return text
    }
}

extension AuditSummary {
    /// Reads `--since`: `30m`, `24h`, `7d`, or seconds; up to ten years.
    public static func sinceDuration(_ text: String) throws(ConfigurationValueError) -> Duration {
        try ConfigurationValue.duration(text, maximum: .seconds(3650 * 86_400))
    }
}
