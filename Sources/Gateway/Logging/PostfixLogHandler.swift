import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler that prints one human line per event on stderr, as `danegate --config`
/// does in the foreground:
///
///     2026-12-04T16:32:42.123Z [smtp-out] c42 127.0.0.1:40112: Verified TLS connection established to ...
///     2026-12-04T16:32:43.001Z [smtp-out] c43 127.0.0.1:40114: warning: Untrusted TLS connection to ... refused: dane-no-match
///
/// The service, connection id and client come from the metadata (``ConnectionLog``'s keys); the
/// target is already in the message; other metadata follows as `key=value`. Like Postfix, the
/// line carries `warning:` or `error:` before the message at those levels. Each line is one
/// `write(2)`, so lines from several loops never mix.
public struct PostfixLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    /// Where finished lines go (each ends in a newline); stderr by default.
    private let output: @Sendable (String) -> Void

    public init(
        label: String, level: Logger.Level = .info, metadataProvider: Logger.MetadataProvider? = nil,
        output: @escaping @Sendable (String) -> Void = PostfixLogHandler.writeToStandardError
    ) {
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let extra = event.metadata { all.merge(extra) { $1 } }
        output(Self.line(level: event.level, message: event.message.description, metadata: all, time: RFC3339Time.now()))
    }

    /// The line for one event (exposed for tests).
    public static func line(level: Logger.Level, message: String, metadata: Logger.Metadata, time: String) -> String {
        var text = time
        if let service = metadata[ConnectionLog.serviceKey] { text += " [\(service)]" }
        if let connection = metadata[ConnectionLog.connectionKey] { text += " \(connection)" }
        if let client = metadata[ConnectionLog.clientKey] { text += " \(client)" }
        text += ": "
        switch level {
        case .warning: text += "warning: "
        case .error: text += "error: "
        case .critical: text += "fatal: "
        default: break
        }
        text += message
        let shown: Set<String> = [
            ConnectionLog.serviceKey, ConnectionLog.connectionKey, ConnectionLog.clientKey, ConnectionLog.targetKey,
        ]
        for key in metadata.keys.sorted() where !shown.contains(key) {
            text += " \(key)=\(metadata[key].map { "\($0)" } ?? "")"
        }
        // A newline in a message (a server's reply quoted in a reason) must not start a line
        // that looks like another event.
        return text.replacingNewlines() + "\n"
    }

    /// One `write(2)` to file descriptor 2.
    public static let writeToStandardError: @Sendable (String) -> Void = { line in
        let bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return write(2, base + offset, buffer.count - offset)
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}

extension LogLevel {
    /// The swift-log level of the same name.
    public var loggerLevel: Logger.Level {
        switch self {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\n" || $0 == "\r" ? " " : $0 }))
    }
}
