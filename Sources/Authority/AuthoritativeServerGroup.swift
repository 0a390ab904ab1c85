import EventLoop

/// danezone on several cores: one ``AuthoritativeServer`` per loop of a ``MultiLoopServer``,
/// each with its own UDP socket and TCP listener on the same addresses (SO_REUSEPORT, so the
/// kernel spreads datagrams and connections over the loops) and its own response caches, all
/// answering from the same read-only zone store. The runtime's connection budget makes
/// `limits.maxTCPConnections` hold for the whole group.
///
/// The zone store is a value (``ZoneStore`` and ``QueryResponder`` are `Sendable`), so every
/// loop reads the same copy without locks; ``replaceResponder(_:)`` hands a new one to each
/// loop, which swaps it on its own thread. Each server's state stays confined to its loop.
/// Methods may be called from any thread (see ``MultiLoopServer/perform(on:_:)``).
public final class AuthoritativeServerGroup: @unchecked Sendable {
    public let runtime: MultiLoopServer
    /// `servers[i]` runs on `runtime.loops[i]` and is touched only there.
    private let servers: [AuthoritativeServer]

    /// One server per loop of `runtime`, whose budget should be `limits.maxTCPConnections`.
    /// `log` is called from every loop's thread.
    public init(
        runtime: MultiLoopServer, responder: QueryResponder, limits: ServerLimits = ServerLimits(),
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.runtime = runtime
        servers = runtime.loops.map {
            AuthoritativeServer(
                loop: $0, responder: responder, limits: limits, connectionBudget: runtime.connectionBudget, log: log)
        }
    }

    /// Binds UDP and TCP on `address` on every loop, and returns the addresses the first loop
    /// bound (the others bound the same port).
    public func listen(on address: SocketAddress) throws(EventLoopError) -> (udp: SocketAddress, tcp: SocketAddress) {
        let servers = self.servers
        let bound = try runtime.listenOnEveryLoop(address, port: { $0.udp.port }) {
            (index, target, reusePort) throws(EventLoopError) in
            try servers[index].listen(on: target, reusePort: reusePort)
        }
        return bound[0]
    }

    /// Makes every loop answer from `responder` (after a reload), and returns once all of
    /// them do, so that a query sent after this returns sees the new zones whichever loop
    /// takes it. Each loop also drops its response caches (``AuthoritativeServer/responder``).
    public func replaceResponder(_ responder: QueryResponder) {
        let servers = self.servers
        runtime.onEveryRunningLoop { index, _ in servers[index].responder = responder }
    }

    /// Stops listening on every loop; open TCP connections go on (the drain).
    public func stopListening() {
        let servers = self.servers
        runtime.onEveryRunningLoop { index, _ in servers[index].stopListening() }
    }

    /// Closes the TCP connections still open, on every loop (the drain's deadline).
    public func closeConnections() {
        let servers = self.servers
        runtime.onEveryRunningLoop { index, _ in servers[index].closeConnections() }
    }

    /// Stops listening and closes every connection, on every loop.
    public func close() {
        stopListening()
        closeConnections()
    }
}
