// Stand-ins for the three types of Sources/DANE/Connect that HTTPResponseParser.swift returns and
// throws, so that `scripts/fuzz http-response` can build the parser without the TLS and DNS
// modules HostReport pulls in. Only their shape matters here; the FuzzOracles target and the
// ordinary tests use the real ones.

public struct DANEHTTPClient {
    public struct Response {
        public var status: Int
        public var reason: String
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]
        public var report: HostReport
    }
}

public struct HTTPClientError: Error {
    public init(_ description: String) {}
}

public struct HostReport {
    public enum Verdict { case pass, fail }

    public init(host: String, port: UInt16, records: [Int], verdict: Verdict, detail: String) {}
}
