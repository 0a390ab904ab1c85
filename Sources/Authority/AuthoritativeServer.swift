import DNSWire
import EventLoop

/// danezone's server: answers queries over UDP and TCP on one event loop, from a
/// ``QueryResponder`` that ``reload(_:)`` can swap (the old zones keep serving until then).
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
    /// Called with a line for the log (stderr in danezone).
    public var log: (String) -> Void

    public init(loop: EventLoop, responder: QueryResponder, limits: ServerLimits = ServerLimits(),
                log: @escaping (String) -> Void = { _ in }) {
        self.loop = loop
        self.responder = responder
        self.limits = limits
        self.log = log
    }

    /// Binds UDP and TCP on `address` (port 0: UDP gets a free port and TCP the same one,
    /// trying again with another port if TCP finds it taken); returns the addresses bound.
    public func listen(on address: SocketAddress) throws(EventLoopError) -> (udp: SocketAddress, tcp: SocketAddress) {
        loop.assertInLoopThread()
        var attempts = 0
        while true {
            attempts += 1
            do {
                return try bind(address)
            } catch {
                guard address.port == 0, attempts < 8, error.name == "EADDRINUSE" else { throw error }
            }
        }
    }

    private func bind(_ address: SocketAddress) throws(EventLoopError) -> (udp: SocketAddress, tcp: SocketAddress) {
        let socket = try UDPSocket(loop: loop, bindTo: address)
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
            listener = try TCPListener(loop: loop, address: address.withPort(udpAddress.port)) { [unowned self] stream in
                accept(stream)
            }
        } catch {
            socket.close()
            throw error
        }
        listener.onAcceptError = { [unowned self] error in log("tcp accept: \(error)") }
        udpSockets.append(socket)
        tcpListeners.append(listener)
        return (udpAddress, listener.localAddress)
    }

    private func accept(_ stream: TCPStream) {
        guard connections.count < limits.maxTCPConnections else {
            stream.close(nil)
            return
        }
        let key = ObjectIdentifier(stream)
        let connection = TCPQueryConnection(
            stream: stream, limits: limits,
            respond: { [unowned self] query in
                tcpCache.response(to: query, computing: { responder.respond(to: $0, transport: .tcp) })
            },
            onClose: { [unowned self] in connections[key] = nil })
        connections[key] = connection
        connection.start()
    }

    /// Stops listening and closes every connection.
    public func close() {
        for socket in udpSockets { socket.close() }
        for listener in tcpListeners { listener.close() }
        for connection in Array(connections.values) { connection.close() }
        udpSockets = []
        tcpListeners = []
    }
}
