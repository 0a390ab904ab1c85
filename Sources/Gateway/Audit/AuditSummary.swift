/// What `danegate audit` prints: the audit log's records counted by service, target, verdict
/// and reason, read in one pass with bounded memory. The file is read in fixed chunks, a line
/// longer than ``maximumLineLength`` is skipped as malformed without being kept, and at most
/// ``maximumGroups`` groups are kept: records that would open a group beyond that are counted
/// in ``ungrouped`` instead, so a log of any size (or of garbage) costs the same memory.
public struct AuditSummary: Sendable {
    public struct Group: Sendable, Equatable, Hashable {
        public var service: String
        public var target: String?
        public var verdict: AuditVerdict
        public var reason: String?

        public init(service: String, target: String?, verdict: AuditVerdict, reason: String?) {
            self.service = service
            self.target = target
            self.verdict = verdict
            self.reason = reason
        }
    }

    public struct Tally: Sendable, Equatable {
        public var count: Int
        /// The earliest and latest `time` of the group, as written in the log.
        public var first: String
        public var last: String
        var firstMilliseconds: Int64
        var lastMilliseconds: Int64
    }

    /// Which records count.
    public struct Filter: Sendable {
        /// Only records whose verdict is not `verified`.
        public var failedOnly: Bool
        /// Only records at or after this time (milliseconds since the epoch).
        public var sinceMilliseconds: Int64?

        public init(failedOnly: Bool = false, sinceMilliseconds: Int64? = nil) {
            self.failedOnly = failedOnly
            self.sinceMilliseconds = sinceMilliseconds
        }
    }

    public static let maximumGroups = 10_000
    public static let maximumLineLength = 65_536

    public private(set) var tallies: [Group: Tally] = [:]
    /// Well-formed records that passed the filter.
    public private(set) var records = 0
    /// Well-formed records the filter left out.
    public private(set) var filteredOut = 0
    /// Lines that are not audit records (bad JSON, missing keys, a bad time, too long).
    public private(set) var malformedLines = 0
    /// Records that counted but found no room for a new group.
    public private(set) var ungrouped = 0

    public let filter: Filter

    public init(filter: Filter = Filter()) {
        self.filter = filter
    }

    /// Counts one line (without its newline).
    public mutating func add(line: some Collection<UInt8>) {
        guard let fields = AuditLineFields(line: line) else {
            malformedLines += 1
            return
        }
        add(fields)
    }

    mutating func add(_ fields: AuditLineFields) {
        if (filter.failedOnly && fields.verdict == .verified)
            || (filter.sinceMilliseconds.map { fields.milliseconds < $0 } ?? false)
        {
            filteredOut += 1
            return
        }
        records += 1
        let group = Group(service: fields.service, target: fields.target, verdict: fields.verdict, reason: fields.reason)
        if var tally = tallies[group] {
            tally.count += 1
            if fields.milliseconds < tally.firstMilliseconds {
                tally.first = fields.time
                tally.firstMilliseconds = fields.milliseconds
            }
            if fields.milliseconds > tally.lastMilliseconds {
                tally.last = fields.time
                tally.lastMilliseconds = fields.milliseconds
            }
            tallies[group] = tally
        } else if tallies.count < Self.maximumGroups {
            tallies[group] = Tally(
                count: 1, first: fields.time, last: fields.time, firstMilliseconds: fields.milliseconds,
                lastMilliseconds: fields.milliseconds)
        } else {
            ungrouped += 1
        }
    }

    /// The groups, most records first (then by service, target, verdict and reason, so the
    /// order is stable).
    public var sortedGroups: [(group: Group, tally: Tally)] {
        tallies.map { ($0.key, $0.value) }.sorted { a, b in
            if a.tally.count != b.tally.count { return a.tally.count > b.tally.count }
            let left = [a.group.service, a.group.target ?? "", a.group.verdict.rawValue, a.group.reason ?? ""]
            let right = [b.group.service, b.group.target ?? "", b.group.verdict.rawValue, b.group.reason ?? ""]
            return left.lexicographicallyPrecedes(right)
        }
    }

    /// Reads the file at `path` in one pass.
    public static func summarize(path: String, filter: Filter = Filter()) throws(AuditSummaryError) -> AuditSummary {
        var summary = AuditSummary(filter: filter)
        try AuditLogLines.forEachLine(
            path: path, maximumLineLength: maximumLineLength, line: { summary.add(line: $0) },
            overlong: { summary.malformedLines += 1 })
        return summary
    }
}

/// The log could not be read.
public struct AuditSummaryError: Error, Sendable, CustomStringConvertible {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
