import ArgumentParser
import Authority
import EventLoop
import Foundation

/// `danezone serve`: answers for the given zones on the given addresses until SIGTERM or
/// SIGINT; SIGHUP reloads the zones.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve zones over UDP and TCP; SIGHUP reloads them.")

    @Option(help: "A zone file, FILE or FILE:ORIGIN. Repeat for several zones.")
    var zone: [String] = []

    @Option(help: "An address to listen on, ADDR:PORT or [V6]:PORT (port 0: any free port). Repeat for several.")
    var listen: [String] = []

    @Option(name: .customLong("max-udp-size"), help: "Largest UDP response in octets.")
    var maxUDPSize: Int = 1232

    @Option(name: .customLong("tcp-idle-timeout"), help: "Seconds before an idle TCP connection is closed.")
    var tcpIdleTimeout: Double = 10

    @Option(name: .customLong("max-tcp-connections"), help: "Most TCP connections open at once.")
    var maxTCPConnections: Int = 512

    func run() throws {
        guard !zone.isEmpty else { throw ValidationError("give at least one --zone") }
        guard !listen.isEmpty else { throw ValidationError("give at least one --listen") }
        let sources = try zone.map { try ZoneSource(argument: $0) }
        var catalog = try ZoneCatalog(sources: sources)
        for loaded in catalog.store.allZones {
            logLine("zone \(loaded.origin.presentation) loaded (serial \(loaded.soa.serial), \(loaded.nodeCount) names)")
            for warning in loaded.warnings { logLine("zone \(loaded.origin.presentation): \(warning)") }
        }
        let payload = UInt16(clamping: max(512, maxUDPSize))
        func responder(_ store: ZoneStore) -> QueryResponder {
            QueryResponder(answerer: QueryAnswerer(store: store, udpPayloadSize: payload), maxUDPResponse: Int(payload))
        }
        let addresses = try listen.map { try SocketAddress(parsing: $0) }
        unblockControlSignals()
        let loop = try EventLoop()
        guard tcpIdleTimeout > 0, maxTCPConnections > 0 else {
            throw ValidationError("--tcp-idle-timeout and --max-tcp-connections must be positive")
        }
        let limits = ServerLimits(
            maxTCPConnections: maxTCPConnections, tcpIdleTimeout: .milliseconds(Int64(tcpIdleTimeout * 1000)))
        let server = AuthoritativeServer(loop: loop, responder: responder(catalog.store), limits: limits, log: logLine)
        for address in addresses {
            let bound = try server.listen(on: address)
            printFlushed("LISTEN udp \(bound.udp)")
            printFlushed("LISTEN tcp \(bound.tcp)")
        }
        var watchers: [SignalWatcher] = []
        watchers.append(
            try SignalWatcher(loop: loop, signal: SIGHUP) {
                for message in catalog.reload() { logLine(message) }
                server.responder = responder(catalog.store)
            })
        for signalNumber in [SIGTERM, SIGINT] {
            watchers.append(try SignalWatcher(loop: loop, signal: signalNumber) { loop.stop() })
        }
        loop.run()
        _ = watchers
    }
}

/// A parent may start us with signals blocked (Foundation's Process passes its thread's mask
/// on); a blocked SIGHUP or SIGTERM would never reach the loop's watchers.
private func unblockControlSignals() {
    var signals = sigset_t()
    sigemptyset(&signals)
    for number in [SIGHUP, SIGTERM, SIGINT] { sigaddset(&signals, number) }
    pthread_sigmask(SIG_UNBLOCK, &signals, nil)
}
