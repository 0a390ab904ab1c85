import DNSWire
import EventLoop

/// danezone's server: answers queries over UDP and TCP on one event loop, from a
/// ``QueryResponder`` that can be swapped on reload (the old zones keep serving until then).
/// ``AuthoritativeServerGroup`` runs one of these per loop to use several cores.
///
/// Every method runs on the loop's thread.
public final class AuthoritativeServer {
    public let loop: EventLoop
    public let limits: ServerLimits
    /// What answers queries; replaced on reload (which also empties the response caches).
    public var responder: QueryResponder {
        didSet {
            udpCache = ResponseCache()
            tcpCache = ResponseCache()
        }
    }
    private var udpCache = ResponseCache()
    private var tcpCache = ResponseCache()
    private var udpSockets: [UDPSocket] = []
    private var tcpListeners: [TCPListener] = []
    private var connections: [ObjectIdentifier: TCPQueryConnection] = [:]
    /// Open TCP connections against `limits.maxTCPConnections`, shared by the servers of a
    /// group so that the limit holds for the whole process; taken by the listeners before
    /// accept, so a client over the limit waits in the backlog.
    private let connectionBudget: ConnectionBudget
    /// Called with a line for the log (stderr in danezone).
    public var log: (String) -> Void

    public init(
        loop: EventLoop, responder: QueryResponder, limits: ServerLimits = ServerLimits(),
        connectionBudget: ConnectionBudget, log: @escaping (String) -> Void = { _ in }
    ) {
        self.loop = loop
        self.responder = responder
        self.limits = limits
        self.connectionBudget = connectionBudget
        self.log = log
    }

    /// Binds UDP and TCP on `address` (port 0: UDP gets a free port and TCP the same one,
    /// trying again with another port if TCP finds it taken); returns the addresses bound.
    /// `reusePort` sets SO_REUSEPORT on both sockets, so that the servers of other loops can
    /// bind the same address and port and the kernel spreads queries and connections over them.
    public func listen(
        on address: SocketAddress, reusePort: Bool = false
    ) throws(EventLoopError) -> (udp: SocketAddress, tcp: SocketAddress) {
        loop.assertInLoopThread()
        var attempts = 0
        while true {
            attempts += 1
            do {
                return try bind(address, reusePort: reusePort)
            } catch {
                guard address.port == 0, attempts < 8, error.name == "EADDRINUSE" else { throw error }
            }
        }
    }

    private func bind(
        _ address: SocketAddress, reusePort: Bool
    ) throws(EventLoopError) -> (udp: SocketAddress, tcp: SocketAddress) {
        // Queries arrive in bursts under load: recvmmsg takes several per system call.
        let socket = try UDPSocket(loop: loop, bindTo: address, reusePort: reusePort, batchReceive: true)
        let udpAddress: SocketAddress
        do {
            udpAddress = try socket.localAddress()
        } catch {
            socket.close()
            throw error
        }
        socket.onDatagram = { [unowned self, unowned socket] bytes, sender in
            let query = Array(bytes)
            guard let response = udpCache.response(to: query, computing: { responder.respond(to: $0, transport: .udp) })
            else { return }
            socket.send(response, to: sender)
        }
        socket.onError = { [unowned self] error in log("udp: \(error)") }
        let listener: TCPListener
        do {
            try socket.startReceiving()
            listener = try TCPListener(
                loop: loop, address: address.withPort(udpAddress.port), reusePort: reusePort
            ) { [unowned self] stream in
                accept(stream)
            }
        } catch {
            socket.close()
            throw error
        }
        listener.connectionBudget = connectionBudget
        listener.onAcceptError = { [unowned self] error in log("tcp accept: \(error)") }
        udpSockets.append(socket)
        tcpListeners.append(listener)
        return (udpAddress, listener.localAddress)
    }

    /// `stream` already holds its place in `connectionBudget` (the listener took it).
    private func accept(_ stream: TCPStream) {
        let key = ObjectIdentifier(stream)
        let connection = TCPQueryConnection(
            stream: stream, limits: limits,
            respond: { [unowned self] query in
                tcpCache.response(to: query, computing: { responder.respond(to: $0, transport: .tcp) })
            },
            onClose: { [unowned self] in
                connections[key] = nil
                connectionBudget.give()
            })
        connections[key] = connection
        connection.start()
    }

    /// Stops listening: closes the UDP sockets and the TCP listeners. Open TCP connections go on.
    public func stopListening() {
        for socket in udpSockets { socket.close() }
        for listener in tcpListeners { listener.close() }
        udpSockets = []
        tcpListeners = []
    }

    /// Closes every open TCP connection.
    public func closeConnections() {
        for connection in Array(connections.values) { connection.close() }
    }

    /// Stops listening and closes every connection.
    public func close() {
        stopListening()
        closeConnections()
    }
}
