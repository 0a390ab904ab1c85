import DANE
import Logging

/// What the runtime calls once per finished connection: the human line through swift-log
/// (``ConnectionLog``) and the JSON line in the audit log, from the same record.
public struct ConnectionRecorder: Sendable {
    public let logger: Logger
    /// The audit log; nil when the configuration names none.
    public let audit: (any AuditSink)?

    public init(logger: Logger, audit: (any AuditSink)?) {
        self.logger = logger
        self.audit = audit
    }

    public func finished(_ record: AuditRecord, policy: DANEPolicy) {
        logger.logConnection(record)
        audit?.record(record, policy: policy)
    }
}

/// The process-wide swift-log set-up of `danegate --config`.
public enum GatewayLogging {
    /// Routes every `Logger` through ``PostfixLogHandler`` on stderr at the configuration's
    /// `log-level`. swift-log allows this once per process; an embedder of the library
    /// bootstraps its own handler instead.
    public static func bootstrap(level: LogLevel) {
        LoggingSystem.bootstrap { label in PostfixLogHandler(label: label, level: level.loggerLevel) }
    }
}
