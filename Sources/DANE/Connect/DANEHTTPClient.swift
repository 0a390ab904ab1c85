import EventLoop
import Foundation
/// A small HTTP/1.1 client over DANE-verified connections (the seed's web Agent wrapper): one
/// GET per connection with `Connection: close`, the response read to the end and bounded.
public struct DANEHTTPClient: Sendable {
    /// A response read to its end, with the DANE report of the connection it came over.
    public struct Response: Sendable {
        public var status: Int
        public var reason: String
        /// Header fields in order, names as received.
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]
        /// The connection's DANE report.
        public var report: HostReport

        /// The first value of a header field (case-insensitive name).
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    public let connector: DANEConnector
    public let policy: DANEPolicy
    /// The most response bytes read (headers and body).
    public var maxResponseBytes = 16 * 1024 * 1024

    public init(connector: DANEConnector, policy: DANEPolicy = .require) {
        self.connector = connector
        self.policy = policy
    }

    /// GET `path` from `host` over a connection the policy accepts; `connectAddress` overrides
    /// only where to connect.
    public func get(
        host: String, port: UInt16 = 443, path: String = "/", connectAddress: SocketAddress? = nil
    ) async throws -> Response {
        let connection = try await connector.connect(
            .host(host, port: port), protocol: .https, policy: policy, connectAddress: connectAddress)
        defer { connection.close() }
        let hostField = port == 443 ? host : "\(host):\(port)"
        let request = "GET \(path) HTTP/1.1\r\nHost: \(hostField)\r\nUser-Agent: danegate-dane\r\nAccept: */*\r\nConnection: close\r\n\r\n"
        guard !path.contains("\r"), !path.contains("\n"), path.hasPrefix("/") else {
            throw HTTPClientError("bad request path \(path.debugDescription)")
        }
        await connection.write(Array(request.utf8))
        var bytes: [UInt8] = []
        while let chunk = await connection.read() {
            bytes.append(contentsOf: chunk)
            guard bytes.count <= maxResponseBytes else {
                throw HTTPClientError("response larger than \(maxResponseBytes) bytes")
            }
        }
        var response = try HTTPResponseParser.parse(bytes)
        response.report = connection.report
        return response
    }
}

/// A request the client would not send, or a response it could not read.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
