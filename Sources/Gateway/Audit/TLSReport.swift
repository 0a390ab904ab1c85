import Foundation

/// An SMTP TLS report (RFC 8460 §4) for one policy domain, aggregated from the audit log in one
/// pass with bounded memory: the sessions whose target host is the domain or a name under it,
/// one policy per distinct TLSA RRset seen (`policy-type` `tlsa`, the records as policy
/// strings; `no-policy-found` when no TLSA record was seen), each with its success and failure
/// counts and failure details grouped by result type, sending IP, receiving host and IP.
public struct TLSReport: Sendable {
    /// What the report says about its author (RFC 8460 §4.4).
    public struct Header: Sendable {
        public var organizationName: String
        public var contactInfo: String
        public var reportID: String
        /// The report's date range, milliseconds since the epoch.
        public var startMilliseconds: Int64
        public var endMilliseconds: Int64
        /// The `sending-mta-ip` of every failure; nil: the client address of each record.
        public var sendingIP: String?

        public init(
            organizationName: String, contactInfo: String, reportID: String, startMilliseconds: Int64,
            endMilliseconds: Int64, sendingIP: String? = nil
        ) {
            self.organizationName = organizationName
            self.contactInfo = contactInfo
            self.reportID = reportID
            self.startMilliseconds = startMilliseconds
            self.endMilliseconds = endMilliseconds
            self.sendingIP = sendingIP
        }
    }

    struct FailureKey: Hashable {
        var resultType: String
        var sendingIP: String
        var receivingHost: String
        var receivingIP: String?
    }

    struct Policy {
        var successes = 0
        var failures = 0
        var failureDetails: [FailureKey: Int] = [:]
    }

    /// Bounds that keep a report's memory fixed whatever the log holds.
    public static let maximumPolicies = 1_000
    public static let maximumFailureDetails = 10_000

    public let domain: String
    public let header: Header
    /// Policies by their sorted policy strings (empty: no TLSA seen).
    private(set) var policies: [[String]: Policy] = [:]
    private var failureDetailCount = 0
    /// Sessions of the domain counted in a summary but in no policy or failure detail (a bound was hit).
    public private(set) var unreported = 0
    /// Lines that are not audit records.
    public private(set) var malformedLines = 0
    /// Records of the domain in the date range that were no TLS session (the upstream was
    /// unreachable, the client was refused): neither success nor failure.
    public private(set) var notSessions = 0

    public init(domain: String, header: Header) {
        self.domain = Self.normalized(domain)
        self.header = header
    }

    /// The sessions counted.
    public var successCount: Int { policies.values.reduce(0) { $0 + $1.successes } }
    public var failureCount: Int { policies.values.reduce(0) { $0 + $1.failures } }

    /// Reads the audit log at `path` in one pass.
    public static func build(path: String, domain: String, header: Header) throws(AuditSummaryError) -> TLSReport {
        var report = TLSReport(domain: domain, header: header)
        try AuditLogLines.forEachLine(
            path: path, maximumLineLength: AuditSummary.maximumLineLength, line: { report.add(line: $0) },
            overlong: { report.malformedLines += 1 })
        return report
    }

    /// Counts one audit line.
    public mutating func add(line: some Collection<UInt8>) {
        // The summary's fast reader decides first whether the line is a record of this domain
        // and date range; only those are read whole.
        guard let fields = AuditLineFields(line: line) else {
            malformedLines += 1
            return
        }
        guard let target = Self.host(of: fields.target), isInDomain(target),
            fields.milliseconds >= header.startMilliseconds, fields.milliseconds <= header.endMilliseconds
        else { return }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
            let verdict = (object["verdict"] as? String).flatMap(AuditVerdict.init(rawValue:))
        else {
            malformedLines += 1
            return
        }
        // The audit record's target is HOST:PORT; the report speaks of the host.
        let resultType = object["tlsrpt"] as? String
        guard resultType != nil || verdict == .verified || verdict == .unauthenticated else {
            notSessions += 1
            return
        }
        let policyStrings = Self.policyStrings(object["tlsa"]).sorted()
        if policies[policyStrings] == nil, policies.count >= Self.maximumPolicies {
            unreported += 1
            return
        }
        var policy = policies[policyStrings] ?? Policy()
        if let resultType {
            policy.failures += 1
            let key = FailureKey(
                resultType: resultType,
                sendingIP: header.sendingIP ?? Self.host(of: object["client"] as? String) ?? "0.0.0.0",
                receivingHost: Self.normalized(target), receivingIP: Self.host(of: object["address"] as? String))
            if policy.failureDetails[key] != nil {
                policy.failureDetails[key, default: 0] += 1
            } else if failureDetailCount < Self.maximumFailureDetails {
                policy.failureDetails[key] = 1
                failureDetailCount += 1
            } else {
                unreported += 1
            }
        } else {
            policy.successes += 1
        }
        policies[policyStrings] = policy
    }

    /// The domain itself or a name under it, without regard to case or a final dot.
    private func isInDomain(_ name: String) -> Bool {
        let name = Self.normalized(name)
        return name == domain || name.hasSuffix("." + domain)
    }

    private static func normalized(_ name: String) -> String {
        var name = name.lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        return name
    }

    /// The TLSA records of an audit record in presentation form (RFC 6698 §2.2), the policy
    /// strings of a `tlsa` policy (RFC 8460 §4.3).
    private static func policyStrings(_ value: Any?) -> [String] {
        guard let records = value as? [[String: Any]] else { return [] }
        return records.compactMap { record in
            guard let usage = record["usage"] as? Int, let selector = record["selector"] as? Int,
                let matchingType = record["matchingType"] as? Int, let data = record["data"] as? String
            else { return nil }
            return "\(usage) \(selector) \(matchingType) \(data.uppercased())"
        }
    }

    /// The host part of `HOST:PORT` or `[V6]:PORT` (a bare IPv6 address is kept whole).
    static func host(of address: String?) -> String? {
        guard var address, !address.isEmpty else { return nil }
        if address.hasPrefix("["), let end = address.firstIndex(of: "]") {
            return String(address[address.index(after: address.startIndex)..<end])
        }
        if address.filter({ $0 == ":" }).count == 1, let colon = address.lastIndex(of: ":") {
            address = String(address[..<colon])
        }
        return address
    }

    // MARK: JSON

    /// The report as RFC 8460 §4.4 JSON: only the RFC's keys, policies and failure details in
    /// a stable order.
    public func json() -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("organization-name"); json.string(header.organizationName)
        json.key("date-range")
        json.beginObject()
        json.key("start-datetime"); json.string(Self.dateTime(header.startMilliseconds))
        json.key("end-datetime"); json.string(Self.dateTime(header.endMilliseconds))
        json.endObject()
        json.key("contact-info"); json.string(header.contactInfo)
        json.key("report-id"); json.string(header.reportID)
        json.key("policies")
        json.beginArray()
        for (strings, policy) in policies.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            json.beginObject()
            json.key("policy")
            json.beginObject()
            json.key("policy-type"); json.string(strings.isEmpty ? "no-policy-found" : "tlsa")
            json.key("policy-string")
            json.beginArray()
            for string in strings { json.string(string) }
            json.endArray()
            json.key("policy-domain"); json.string(domain)
            json.endObject()
            json.key("summary")
            json.beginObject()
            json.key("total-successful-session-count"); json.number(policy.successes)
            json.key("total-failure-session-count"); json.number(policy.failures)
            json.endObject()
            json.key("failure-details")
            json.beginArray()
            let details = policy.failureDetails.sorted { a, b in
                [a.key.resultType, a.key.receivingHost, a.key.sendingIP, a.key.receivingIP ?? ""]
                    .lexicographicallyPrecedes([b.key.resultType, b.key.receivingHost, b.key.sendingIP, b.key.receivingIP ?? ""])
            }
            for (key, count) in details {
                json.beginObject()
                json.key("result-type"); json.string(key.resultType)
                json.key("sending-mta-ip"); json.string(key.sendingIP)
                json.key("receiving-mx-hostname"); json.string(key.receivingHost)
                if let receivingIP = key.receivingIP { json.key("receiving-ip"); json.string(receivingIP) }
                json.key("failed-session-count"); json.number(count)
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.text + "\n"
    }

    /// RFC 3339 §5.6 in UTC, whole seconds ("2016-04-01T00:00:00Z").
    private static func dateTime(_ milliseconds: Int64) -> String {
        let text = RFC3339Time.format(millisecondsSinceEpoch: milliseconds - milliseconds % 1000)
        guard let dot = text.firstIndex(of: ".") else { return text }
        return String(text[..<dot]) + "Z"
    }
}
