/// A plain TCP relay service: accepts on one address, connects each client to a fixed
/// target, and relays bytes both ways with backpressure and half-close (`Relay`).
public final class TCPForwarder {
    public let loop: EventLoop
    public let target: SocketAddress
    private let listener: TCPListener
    /// Runs after each relay ends, with its byte counts.
    public var onRelayFinished: ((RelayReport) -> Void)?
    /// Runs when a client could not be connected to the target (the client is closed).
    public var onConnectFailed: ((EventLoopError) -> Void)?
    /// Runs on accept errors (EMFILE and the like; the listener backs off by itself).
    public var onAcceptError: ((EventLoopError) -> Void)? {
        get { listener.onAcceptError }
        set { listener.onAcceptError = newValue }
    }
    /// How long to wait for the target to accept; nil waits as long as the kernel does.
    public var connectTimeout: Duration? = .seconds(10)
    /// Ends a relay on which no byte moved for this long; nil never.
    public var idleTimeout: Duration?
    /// Ends a relay this long after one direction ended if the other is still open; nil never.
    public var halfCloseTimeout: Duration?

    /// The address clients connect to (with the real port for port 0).
    public var localAddress: SocketAddress { listener.localAddress }

    public init(
        loop: EventLoop, accept: SocketAddress, connect target: SocketAddress, reusePort: Bool = false
    ) throws(EventLoopError) {
        self.loop = loop
        self.target = target
        var connectionHandler: ((TCPStream) -> Void)?
        listener = try TCPListener(loop: loop, address: accept, reusePort: reusePort) { client in
            connectionHandler?(client)
        }
        connectionHandler = { [weak self] client in self?.relay(client) }
    }

    private func relay(_ client: TCPStream) {
        TCPStream.connect(loop: loop, to: target, timeout: connectTimeout) { [weak self] result in
            switch result {
            case .success(let upstream):
                try? client.setNoDelay(true)
                try? upstream.setNoDelay(true)
                let relay = Relay(
                    client, upstream, loop: upstream.loop,
                    idleTimeout: self?.idleTimeout, halfCloseTimeout: self?.halfCloseTimeout)
                relay.start { report in self?.onRelayFinished?(report) }
            case .failure(let error):
                client.close()
                self?.onConnectFailed?(error)
            }
        }
    }

    /// Stops accepting; relays in progress go on.
    public func close() {
        listener.close()
    }
}
