import ArgumentParser
import Authority
import EventLoop
import Foundation

/// `danezone serve`: answers for the given zones on the given addresses until SIGTERM or
/// SIGINT, on `--threads` event loops; SIGHUP reloads the zones on every loop.
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
        guard tcpIdleTimeout > 0, maxTCPConnections > 0 else {
            throw ValidationError("--tcp-idle-timeout and --max-tcp-connections must be positive")
        }
        let threadCount = threads ?? min(ProcessInfo.processInfo.activeProcessorCount, Self.defaultMaxThreads)
        guard threadCount >= 1, threadCount <= 256 else { throw ValidationError("--threads must be from 1 to 256") }
        let limits = ServerLimits(
            maxTCPConnections: maxTCPConnections, tcpIdleTimeout: .milliseconds(Int64(tcpIdleTimeout * 1000)))

        // Threads inherit the signal mask: unblock before any starts.
        unblockControlSignals()
        // The main thread runs the first loop (which also watches the signals); the others
        // get a thread each.
        let loop = try EventLoop()
        let others = threadCount > 1 ? try EventLoopGroup(threadCount: threadCount - 1) : nil
        defer { others?.stopAndJoin() }
        let group = AuthoritativeServerGroup(
            loops: [loop] + (others?.loops ?? []), responder: responder(catalog.store), limits: limits, log: logLine)
        do {
            for address in addresses {
                let bound = try group.listen(on: address)
                printFlushed("LISTEN udp \(bound.udp)")
                printFlushed("LISTEN tcp \(bound.tcp)")
            }
        } catch {
            // Close what was bound on every loop; the main loop's handles finish closing as
            // it runs once more.
            group.close()
            loop.stop()
            loop.run()
            throw error
        }
        logLine("answering on \(threadCount) thread\(threadCount == 1 ? "" : "s")")
        var watchers: [SignalWatcher] = []
        watchers.append(
            try SignalWatcher(loop: loop, signal: SIGHUP) {
                let messages = catalog.reload()
                // Logged once every loop answers from the new zones, so "reloaded" means it.
                group.replaceResponder(responder(catalog.store))
                for message in messages { logLine(message) }
            })
        for signalNumber in [SIGTERM, SIGINT] {
            watchers.append(
                try SignalWatcher(loop: loop, signal: signalNumber) {
                    group.close()
                    loop.stop()
                })
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
