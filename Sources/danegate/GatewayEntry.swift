import DANE
import EventLoop
import Foundation
import Gateway

/// `danegate --config FILE`: the gateway in the foreground, logging to stderr.
enum GatewayEntry {
    /// Reads the configuration file. The INI parser (`GatewayConfiguration.load(path:)`) lands
    /// from the configuration branch; until then this says so.
    static func load(_ path: String) throws -> GatewayConfiguration {
        throw GatewayEntryError(description: "\(path): the configuration parser is not built into this danegate")
    }

    /// Runs `configuration` until the process is killed.
    static func run(_ configuration: GatewayConfiguration, auditSink: any AuditSink) throws -> Never {
        let dns = try GatewayLookupSource(configuration.global)
        let contexts = try UpstreamTLSContexts()
        let loop = try EventLoop()
        let gateway = Gateway(
            configuration: configuration, loop: loop, source: dns.source, contexts: contexts, auditSink: auditSink,
            observer: StderrObserver())
        try gateway.start()
        for service in gateway.services {
            if let address = service.localAddress {
                print("LISTEN \(service.configuration.name) \(address)")
            }
        }
        fflush(nil)  // tests wait for these lines on a pipe
        loop.run()
        exit(0)
    }
}

struct GatewayEntryError: Error, CustomStringConvertible {
    let description: String
}

/// One line per connection on stderr until the swift-log handler takes over.
struct StderrObserver: GatewayObserver {
    func connectionFinished(_ report: GatewayConnectionReport) {
        let audit = report.audit
        var line = "\(audit.service) \(audit.id) \(audit.client) -> \(audit.target ?? "-") [\(audit.address ?? "-")]: \(audit.verdict.rawValue)"
        if let reason = audit.reason { line += " (\(reason))" }
        if !report.detail.isEmpty { line += ": \(report.detail)" }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// Audit records nowhere until the audit log writer takes over (`audit-log`).
struct DiscardingAuditSink: AuditSink {
    func record(_ record: AuditRecord, policy: DANEPolicy) {}
}
