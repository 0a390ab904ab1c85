import EventLoop
import TLS

/// What one tunnelled connection did, for the audit log and for tests.
public struct TunnelReport: Sendable {
    /// The upstream verification, when the handshake completed.
    public var verification: TLSPeerVerification?
    /// Why the connection was refused or ended early; nil when it ran to its end.
    public var failure: String?
    /// Bytes from the local client to the upstream, and back.
    public var bytesUp: Int = 0
    public var bytesDown: Int = 0
}

/// A stunnel-style client tunnel: accepts plaintext clients on a local address and, for each,
/// opens TLS to a fixed upstream and relays bytes once — and only once — the upstream is
/// authenticated as `options` require (DANE records given up front, or PKIX).
///
/// DESIGN rule 1: the client's bytes are not read before the upstream is verified; until then
/// they wait in the kernel's socket buffer, which bounds them. Rule 3: a failed match closes
/// the client without a byte exchanged; there is no fallback.
public final class TLSTunnel {
    public let loop: EventLoop
    public let upstream: SocketAddress
    private let context: TLSContext
    private let options: TLSClientOptions
    private let listener: TCPListener

    /// How long the TCP connect plus the TLS handshake may take.
    public var handshakeTimeout: Duration = .seconds(30)
    /// Ends a relay on which no byte moved for this long; nil never.
    public var idleTimeout: Duration?
    /// Runs once per client connection when its upstream is authenticated, before any byte moves.
    public var onUpstreamVerified: ((TunnelReport) -> Void)?
    /// Runs once per client connection when it ends (refused, failed or finished).
    public var onConnectionFinished: ((TunnelReport) -> Void)?

    /// The address clients connect to (with the real port for port 0).
    public var localAddress: SocketAddress { listener.localAddress }

    public init(
        loop: EventLoop, accept: SocketAddress, upstream: SocketAddress,
        context: TLSContext, options: TLSClientOptions, reusePort: Bool = false
    ) throws(EventLoopError) {
        self.loop = loop
        self.upstream = upstream
        self.context = context
        self.options = options
        var connectionHandler: ((TCPStream) -> Void)?
        listener = try TCPListener(loop: loop, address: accept, reusePort: reusePort) { client in
            connectionHandler?(client)
        }
        connectionHandler = { [weak self] client in self?.serve(client) }
    }

    private func serve(_ client: TCPStream) {
        let attempt = HandshakeAttempt(client: client, tunnel: self)
        let timeout = handshakeTimeout
        // The deadline belongs to the handshake: `finish` closes it when the upstream is
        // verified or the attempt fails. Without a timer there would be no deadline: refuse.
        do {
            let timer = try LoopTimer(loop: loop)
            attempt.deadline = timer
            timer.start(after: timeout) { [weak attempt] in
                attempt?.fail("upstream handshake timed out after \(timeout)")
            }
        } catch {
            attempt.fail("cannot arm the handshake timer: \(error)")
            return
        }
        TCPStream.connect(loop: loop, to: upstream, timeout: handshakeTimeout) { [weak self, attempt] result in
            guard let self, !attempt.finished else {
                if case .success(let stream) = result { stream.close() }
                return
            }
            switch result {
            case .failure(let error):
                attempt.fail("cannot connect to \(self.upstream): \(error)")
            case .success(let transport):
                try? transport.setNoDelay(true)
                try? client.setNoDelay(true)
                attempt.transport = transport
                let session: TLSSession
                do {
                    session = try TLSSession(client: self.context, options: self.options)
                } catch {
                    attempt.fail("cannot start TLS: \(error)")
                    return
                }
                let stream = TLSStream(session: session, transport: transport)
                attempt.stream = stream
                stream.handshake { [weak self] outcome in
                    guard let self, !attempt.finished else { return }
                    switch outcome {
                    case .failure(let error):
                        attempt.report.verification = session.peerVerification
                        attempt.fail("upstream TLS failed: \(error)")
                    case .success(let verification):
                        attempt.report.verification = verification
                        guard verification?.isAuthenticated ?? false || self.options.enforcement != .enforce else {
                            attempt.fail("upstream not authenticated")
                            return
                        }
                        attempt.finish()
                        self.onUpstreamVerified?(attempt.report)
                        self.relay(client, stream, report: attempt.report)
                    }
                }
            }
        }
    }

    private func relay(_ client: TCPStream, _ stream: TLSStream, report: TunnelReport) {
        let relay = Relay(client, stream, loop: loop, idleTimeout: idleTimeout)
        relay.start { [weak self] relayReport in
            var report = report
            report.bytesUp = relayReport.bytesFirstToSecond
            report.bytesDown = relayReport.bytesSecondToFirst
            report.failure = relayReport.error.map { "relay ended: \($0)" }
            self?.onConnectionFinished?(report)
        }
    }

    /// Stops accepting; connections in progress go on.
    public func close() {
        listener.close()
    }

    /// One client's wait for its upstream: everything to close if it fails or times out.
    private final class HandshakeAttempt {
        let client: TCPStream
        weak var tunnel: TLSTunnel?
        var transport: TCPStream?
        var stream: TLSStream?
        /// The handshake timeout, closed when the attempt finishes either way.
        var deadline: LoopTimer?
        private(set) var finished = false
        var report = TunnelReport()

        init(client: TCPStream, tunnel: TLSTunnel) {
            self.client = client
            self.tunnel = tunnel
        }

        /// The handshake is over (verified or failed): its deadline goes with it.
        func finish() {
            finished = true
            deadline?.close()
            deadline = nil
        }

        func fail(_ reason: String) {
            guard !finished else { return }
            finish()
            report.failure = reason
            if let stream { stream.close(nil) } else { transport?.close() }
            client.close()
            tunnel?.onConnectionFinished?(report)
        }
    }
}
