import ArgumentParser
import Authority
import EventLoop
import Foundation

/// `danezone serve`: answers for the given zones on the given addresses until SIGTERM or
/// SIGINT, on `--threads` event loops of a ``MultiLoopServer``; SIGHUP reloads the zones on
/// every loop.
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

    @Option(name: .customLong("max-tcp-connections"), help: "Most TCP connections open at once (over all threads).")
    var maxTCPConnections: Int = 512

    @Option(help: "Event loops (threads) answering queries, each with its own sockets on the same ports (SO_REUSEPORT). Default: the number of cores, at most 8.")
    var threads: Int?

    @Option(name: .customLong("drain-timeout"), help: "Seconds SIGTERM waits for open TCP connections to finish before closing them.")
    var drainTimeout: Double = 0

    /// One loop per core pays until the kernel's socket work dominates; past 8 it rarely does.
    static let defaultMaxThreads = 8

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
        guard drainTimeout >= 0, drainTimeout <= 3600 else { throw ValidationError("--drain-timeout must be from 0 to 3600") }
        guard tcpIdleTimeout > 0, maxTCPConnections > 0 else {
            throw ValidationError("--tcp-idle-timeout and --max-tcp-connections must be positive")
        }
        let threadCount = threads ?? MultiLoopServer.defaultWorkerCount(cap: Self.defaultMaxThreads)
        guard threadCount >= 1, threadCount <= 256 else { throw ValidationError("--threads must be from 1 to 256") }
        let limits = ServerLimits(
            maxTCPConnections: maxTCPConnections, tcpIdleTimeout: .milliseconds(Int64(tcpIdleTimeout * 1000)))

        let runtime = try MultiLoopServer(workers: threadCount, maxConnections: maxTCPConnections)
        let group = AuthoritativeServerGroup(
            runtime: runtime, responder: responder(catalog.store), limits: limits, log: logLine)
        do {
            for address in addresses {
                let bound = try group.listen(on: address)
                printFlushed("LISTEN udp \(bound.udp)")
                printFlushed("LISTEN tcp \(bound.tcp)")
            }
        } catch {
            group.close()
            throw error
        }
        logLine("answering on \(threadCount) thread\(threadCount == 1 ? "" : "s")")
        try runtime.run(
            ServerLifecycle(
                drainTimeout: .milliseconds(Int64(drainTimeout * 1000)),
                reload: {
                    let messages = catalog.reload()
                    // Logged once every loop answers from the new zones, so "reloaded" means it.
                    group.replaceResponder(responder(catalog.store))
                    for message in messages { logLine(message) }
                },
                stopAccepting: { group.stopListening() },
                closeRemaining: { group.closeConnections() }))
    }
}
