import EventLoop
import Foundation
@testable import Gateway
import Testing
import TestSupport

/// The `metrics = ADDR:PORT` endpoint: `/metrics`, `/healthz` 200 then 503 while draining, and
/// bad requests answered 400/404/405 (or dropped at the size bound or the timeout) without
/// harm to the next request.
@Suite(.serialized) struct MetricsEndpointTests {
    final class Running {
        let thread: EventLoopThread
        let endpoint: MetricsEndpoint
        let port: UInt16

        init(metrics: GatewayMetrics, timeout: Duration = .seconds(10)) throws {
            thread = try EventLoopThread()
            let endpoint = MetricsEndpoint(loop: thread.loop, metrics: metrics, timeout: timeout)
            self.endpoint = endpoint
            let address = try SocketAddress(parsing: "127.0.0.1:0")
            let bound = Locked<UInt16>(0)
            let started = DispatchSemaphore(value: 0)
            _ = thread.loop.execute {
                try? endpoint.start(address: address)
                bound.set(endpoint.localAddress?.port ?? 0)
                started.signal()
            }
            started.wait()
            port = bound.get()
            guard port != 0 else { throw TestSupportError(.commandFailed, "the metrics endpoint did not start") }
        }

        deinit {
            let closed = DispatchSemaphore(value: 0)
            _ = thread.loop.execute { [endpoint] in
                endpoint.close()
                closed.signal()
            }
            closed.wait()
            thread.stopAndJoin()
        }

        /// Sends `request` and reads the whole answer (the endpoint closes after one).
        func exchange(_ request: [UInt8], closeAfterSending: Bool = true) throws -> String {
            let socket = try BlockingSocket(connectingTo: port)
            socket.send(request)
            if closeAfterSending { socket.shutdownWrite() }
            return text(receive(socket))
        }

        func get(_ path: String) throws -> String {
            try exchange(Array("GET \(path) HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n".utf8))
        }
    }

    private func status(_ response: String) -> String {
        // "\r\n" is one Character in Swift: split on the string.
        response.components(separatedBy: "\r\n").first ?? ""
    }

    private func body(_ response: String) -> [UInt8] {
        guard let range = response.range(of: "\r\n\r\n") else { return [] }
        return Array(response[range.upperBound...].utf8)
    }

    @Test func healthzIsOKWhileServingAnd503WhileDraining() throws {
        let metrics = GatewayMetrics(version: "test")
        let running = try Running(metrics: metrics)
        #expect(status(try running.get("/healthz")) == "HTTP/1.1 200 OK")
        metrics.setHealth(.draining)
        let draining = try running.get("/healthz")
        #expect(status(draining) == "HTTP/1.1 503 Service Unavailable")
        #expect(draining.contains("Connection: close\r\n"))
        metrics.setHealth(.serving)
        #expect(status(try running.get("/healthz")) == "HTTP/1.1 200 OK")
    }

    @Test func metricsAnswerPrometheusTextWithItsLength() throws {
        let metrics = GatewayMetrics(version: "9.9")
        metrics.connectionFinished(
            AuditRecord(time: RFC3339Time.now(), id: "x", service: "web", client: "127.0.0.1:2", protocol: "http", verdict: .verified))
        let running = try Running(metrics: metrics)
        let response = try running.get("/metrics?name=ignored")
        #expect(status(response) == "HTTP/1.1 200 OK")
        #expect(response.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"))
        let payload = body(response)
        #expect(response.contains("Content-Length: \(payload.count)\r\n"))
        let parsed = try PrometheusText(payload)
        #expect(parsed.value("danegate_connections_total", ["service": "web", "verdict": "verified", "reason": ""]) == 1)
        #expect(parsed.value("danegate_build_info", ["version": "9.9"]) == 1)
        let head = try running.exchange(Array("HEAD /metrics HTTP/1.0\r\n\r\n".utf8))
        #expect(status(head) == "HTTP/1.1 200 OK")
        #expect(body(head).isEmpty)
    }

    @Test func badRequestsGetErrorsAndNeverStopTheEndpoint() throws {
        let running = try Running(metrics: GatewayMetrics(version: "test"), timeout: .milliseconds(300))
        let cases: [(request: [UInt8], expected: String)] = [
            (Array("GET /nothing HTTP/1.1\r\n\r\n".utf8), "HTTP/1.1 404 Not Found"),
            (Array("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n".utf8), "HTTP/1.1 405 Method Not Allowed"),
            (Array("GET /metrics\r\n\r\n".utf8), "HTTP/1.1 400 Bad Request"),
            (Array("GET metrics HTTP/1.1\r\n\r\n".utf8), "HTTP/1.1 400 Bad Request"),
            (Array("GET /metrics HTTP/2.0\r\n\r\n".utf8), "HTTP/1.1 400 Bad Request"),
            (Array("GET  /metrics HTTP/1.1\r\n\r\n".utf8), "HTTP/1.1 400 Bad Request"),
            (Array("\r\n\r\n".utf8), "HTTP/1.1 400 Bad Request"),
            ([0x16, 0x03, 0x01, 0x00, 0xFF, 0x0D, 0x0A, 0x0D, 0x0A, 0x00], "HTTP/1.1 400 Bad Request"),
            (Array("GET /metrics HTTP/1.1\r\n".utf8), "HTTP/1.1 400 Bad Request"),  // cut off by the client's close
            (Array("GET /\u{7F}x HTTP/1.1\r\n\r\n".utf8), "HTTP/1.1 400 Bad Request"),
        ]
        for (request, expected) in cases {
            #expect(status(try running.exchange(request)) == expected, "\(String(decoding: request, as: UTF8.self).debugDescription)")
        }
        // A head beyond the bound is refused once the bound is reached, without waiting for its end.
        let huge = Array("GET /metrics HTTP/1.1\r\nX-Filler: ".utf8) + [UInt8](repeating: 0x61, count: 20_000)
        #expect(status(try running.exchange(huge, closeAfterSending: false)) == "HTTP/1.1 400 Bad Request")
        // A client that says nothing is dropped at the timeout, with no answer.
        let silent = try BlockingSocket(connectingTo: running.port)
        #expect(receive(silent).isEmpty)
        #expect(status(try running.get("/healthz")) == "HTTP/1.1 200 OK")
    }

    @Test func connectionsBeyondTheCapAreClosedAtAccept() throws {
        let running = try Running(metrics: GatewayMetrics(version: "test"))
        var idle: [BlockingSocket] = []
        for _ in 0..<MetricsEndpoint.maximumClients { idle.append(try BlockingSocket(connectingTo: running.port)) }
        // The listener accepts in order: this one comes after the idle ones and finds no room.
        #expect(try running.get("/healthz").isEmpty)
        idle.removeAll()  // closes them; the endpoint frees their places
        let deadline = Date().addingTimeInterval(10)
        var answer = ""
        while Date() < deadline {
            answer = try running.get("/healthz")
            if !answer.isEmpty { break }
            usleep(20_000)
        }
        #expect(status(answer) == "HTTP/1.1 200 OK")
    }

    @Test func everyPrefixOfARequestIsIncompleteOrAnswered() {
        let request = Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        for length in 0..<request.count {
            #expect(MetricsHTTPRequest.parse(Array(request.prefix(length))) == .incomplete, "prefix \(length)")
        }
        #expect(MetricsHTTPRequest.parse(request) == .request(method: "GET", path: "/healthz"))
        #expect(MetricsHTTPRequest.parse(Array("GET /x HTTP/1.0\n\n".utf8)) == .request(method: "GET", path: "/x"))
    }
}
