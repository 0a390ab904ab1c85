import EventLoop

/// The `metrics = ADDR:PORT` listener (issue 13): `GET /metrics` answers the Prometheus text,
/// `GET /healthz` answers 200 while serving and 503 while draining. One request per connection
/// (`Connection: close`), at most ``maximumClients`` at once; a request head larger than `MetricsHTTPRequest.maximumHeadBytes`, or
/// not complete within `timeout`, is dropped, so a slow or hostile client holds nothing for long.
/// Runs on one loop; start and close it on that loop's thread. It stays up while the gateway
/// drains, until the process exits.
public final class MetricsEndpoint: @unchecked Sendable {
    public let loop: EventLoop
    public let metrics: GatewayMetrics
    public let timeout: Duration
    /// Connections served at once; more are closed at accept (a scraper needs one or two).
    public static let maximumClients = 64
    private var listener: TCPListener?
    private var clients: [ObjectIdentifier: Client] = [:]

    public init(loop: EventLoop, metrics: GatewayMetrics, timeout: Duration = .seconds(10)) {
        self.loop = loop
        self.metrics = metrics
        self.timeout = timeout
    }

    /// The bound address (the real port when `address` asked for port 0).
    public var localAddress: SocketAddress? { listener?.localAddress }

    public func start(address: SocketAddress) throws(EventLoopError) {
        listener = try TCPListener(loop: loop, address: address) { [weak self] stream in
            self?.accepted(stream)
        }
    }

    public func close() {
        listener?.close()
        listener = nil
        for client in clients.values { client.end() }
        clients.removeAll()
    }

    private func accepted(_ stream: TCPStream) {
        guard clients.count < Self.maximumClients else {
            stream.close()
            return
        }
        let client = Client(stream: stream, endpoint: self)
        clients[ObjectIdentifier(client)] = client
        client.start()
    }

    fileprivate func ended(_ client: Client) {
        clients[ObjectIdentifier(client)] = nil
    }

    /// The response to one request head.
    func respond(to request: MetricsHTTPRequest) -> [UInt8] {
        switch request {
        case .incomplete, .malformed:
            return Self.response(400, "Bad Request", body: Array("bad request\n".utf8))
        case .request(let method, let path):
            guard method == "GET" || method == "HEAD" else {
                return Self.response(405, "Method Not Allowed", body: Array("only GET\n".utf8), extra: "Allow: GET, HEAD\r\n")
            }
            let head = method == "HEAD"
            switch path {
            case "/metrics":
                return Self.response(
                    200, "OK", body: metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8",
                    headOnly: head)
            case "/healthz":
                return metrics.health == .serving
                    ? Self.response(200, "OK", body: Array("serving\n".utf8), headOnly: head)
                    : Self.response(503, "Service Unavailable", body: Array("draining\n".utf8), headOnly: head)
            default:
                return Self.response(404, "Not Found", body: Array("not found\n".utf8), headOnly: head)
            }
        }
    }

    static func response(
        _ status: Int, _ reason: String, body: [UInt8], contentType: String = "text/plain; charset=utf-8",
        extra: String = "", headOnly: Bool = false
    ) -> [UInt8] {
        let head =
            "HTTP/1.1 \(status) \(reason)\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
            + extra + "Connection: close\r\n\r\n"
        return Array(head.utf8) + (headOnly ? [] : body)
    }
}

/// One connection to the endpoint: reads a request head, answers, closes.
private final class Client {
    let stream: TCPStream
    unowned let endpoint: MetricsEndpoint
    private var buffer: [UInt8] = []
    private var timer: LoopTimer?
    private var answered = false
    private var ended = false

    init(stream: TCPStream, endpoint: MetricsEndpoint) {
        self.stream = stream
        self.endpoint = endpoint
    }

    func start() {
        if let timer = try? LoopTimer(loop: endpoint.loop) {
            self.timer = timer
            timer.start(after: endpoint.timeout) { [self] in end() }
        }
        stream.onEvent = { [self] event in
            switch event {
            case .data(let bytes):
                guard !answered else { return }  // bytes after the request are ignored
                buffer.append(contentsOf: bytes.prefix(max(0, MetricsHTTPRequest.maximumHeadBytes + 1 - buffer.count)))
                let request = MetricsHTTPRequest.parse(buffer)
                if request != .incomplete { answer(request) }
            case .endOfStream:
                // After the answer, the client's close ends it; before, a cut-off head is a 400.
                if answered { end() } else { answer(.malformed) }
            case .error:
                end()
            }
        }
        stream.startReading()
    }

    private func answer(_ request: MetricsHTTPRequest) {
        answered = true
        let response = endpoint.respond(to: request)
        response.withUnsafeBytes { stream.write($0) }
        // Half-close and keep reading until the client closes (or the timeout): closing with its
        // unread bytes would reset the connection and could lose the answer.
        stream.shutdownWrite { [self] error in if error != nil { end() } }
    }

    func end() {
        guard !ended else { return }
        ended = true
        timer?.close()
        timer = nil
        stream.onEvent = nil
        stream.close()
        endpoint.ended(self)
    }
}
