import Logging

/// The one human line per finished connection, in Postfix's words (issue 11): the runtime
/// hands the connection's ``AuditRecord`` to ``Logging/Logger/logConnection(_:)`` and gets the
/// line on stderr through ``PostfixLogHandler`` (or wherever an embedder routes swift-log).
///
///     Verified TLS connection established to mail.example.org[192.0.2.1]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384, TLSA 3 1 1 matched at depth 0
///     Untrusted TLS connection established to mail.example.org[192.0.2.1]:25: TLSv1.3 with cipher ... (not authenticated: no-tlsa)
///     Untrusted TLS connection to mail.example.org[192.0.2.1]:25 refused: dane-no-match
///     Connection to mail.example.org:25 refused: tlsa-bogus
public enum ConnectionLog {
    /// Metadata keys every connection's line carries.
    public static let serviceKey = "service"
    public static let connectionKey = "connection"
    public static let clientKey = "client"
    public static let targetKey = "target"
    /// The hosts tried before the one the line names, each with why it was not used (the next
    /// MX host after a failure, as Postfix does); the audit record's fixed keys name only the
    /// host used.
    public static let triedBeforeKey = "tried-before"

    /// The Postfix-style sentence for `record`.
    public static func message(for record: AuditRecord) -> String {
        let upstream = upstreamName(record)
        let reason = record.reason?.description ?? "not authenticated"
        let traffic = " (up \(record.bytesUp), down \(record.bytesDown) bytes, \(record.durationMs) ms)"
        switch record.verdict {
        case .verified:
            var text = "Verified TLS connection established to \(upstream)"
            if let tls = record.tls { text += ": \(tls.version) with cipher \(tls.cipher)" }
            if let match = record.match {
                text += ", TLSA \(match.usage) \(match.selector) \(match.matchingType) matched at depth \(match.depth)"
            }
            return text + traffic
        case .unauthenticated:
            guard let tls = record.tls else { return "Unauthenticated connection to \(upstream) (\(reason))" + traffic }
            return "Untrusted TLS connection established to \(upstream): \(tls.version) with cipher \(tls.cipher)"
                + " (not authenticated: \(reason))" + traffic
        case .refused:
            if record.reason == .clientNotAllowed { return "Connection from \(record.client) refused: \(reason)" }
            // "Untrusted" when a certificate was seen and judged, as Postfix says of a peer
            // whose certificate failed; otherwise the refusal came before any TLS.
            if record.certificate != nil { return "Untrusted TLS connection to \(upstream) refused: \(reason)" }
            return "Connection to \(upstream) refused: \(reason)"
        case .error:
            return "Connection to \(upstream) failed: \(record.reason?.description ?? "error")" + traffic
        }
    }

    /// Verified connections are routine (info); unauthenticated ones a notice; refusals warnings;
    /// errors errors.
    public static func level(for record: AuditRecord) -> Logger.Level {
        switch record.verdict {
        case .verified: .info
        case .unauthenticated: .notice
        case .refused: .warning
        case .error: .error
        }
    }

    /// service, connection id, client and target.
    public static func metadata(for record: AuditRecord) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            serviceKey: .string(record.service), connectionKey: .string(record.id), clientKey: .string(record.client),
        ]
        if let target = record.target { metadata[targetKey] = .string(target) }
        return metadata
    }

    /// The record's metadata, and the hosts tried before the last one with their reasons:
    /// `mx1.example.org[192.0.2.1]:25 dane-no-match, mx2.example.org:25 upstream-unreachable`.
    public static func metadata(for report: GatewayConnectionReport) -> Logger.Metadata {
        var metadata = metadata(for: report.audit)
        let earlier = report.attempts.dropLast().map { attempt in
            let host = attempt.report.address.flatMap { address in
                splitHostPort(address).map { "\(attempt.report.host)[\($0.0)]:\($0.1)" }
            } ?? "\(attempt.report.host):\(attempt.report.port)"
            return "\(host) \(attempt.verdict.reason?.rawValue ?? attempt.verdict.name)"
        }
        if !earlier.isEmpty { metadata[triedBeforeKey] = .string(earlier.joined(separator: ", ")) }
        return metadata
    }

    /// `host[address]:port` as Postfix names a peer; the target alone when no address was
    /// reached; the service when not even the target is known.
    static func upstreamName(_ record: AuditRecord) -> String {
        guard let target = record.target else { return record.address ?? "[\(record.service)]" }
        guard let address = record.address, let (addressHost, port) = splitHostPort(address) else { return target }
        let host = splitHostPort(target)?.0 ?? target
        return "\(host)[\(addressHost)]:\(port)"
    }

    /// `host:port` or `[v6]:port` into host (no brackets) and port.
    private static func splitHostPort(_ text: String) -> (String, String)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = text[..<colon]
        if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        return (String(host), String(text[text.index(after: colon)...]))
    }
}

extension Logger {
    /// Logs the one line for a finished connection, with the hosts tried before the one used.
    public func logConnection(_ report: GatewayConnectionReport) {
        log(
            level: ConnectionLog.level(for: report.audit), "\(ConnectionLog.message(for: report.audit))",
            metadata: ConnectionLog.metadata(for: report))
    }

    /// Logs the one line for a finished connection, at the level its verdict calls for.
    public func logConnection(_ record: AuditRecord) {
        log(
            level: ConnectionLog.level(for: record), "\(ConnectionLog.message(for: record))",
            metadata: ConnectionLog.metadata(for: record))
    }
}
