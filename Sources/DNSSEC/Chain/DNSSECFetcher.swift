import DNSWire

/// What the chain walker asks of the network: one lookup of `name`/`type`, answered with the
/// whole response including RRSIGs (a stub resolver sends it with DO and CD set, RFC 4035
/// §3.2.2, so the upstream resolver does not filter bogus data). The resolver built on the event
/// loop conforms to this; tests answer from canned data.
public protocol DNSSECFetcher: Sendable {
    func fetch(_ name: Name, _ type: RRType) async -> FetchResult
}

/// A lookup's outcome: a response (any RCODE) or a failure (timeout, network error, ...).
public enum FetchResult: Sendable {
    case response(Message)
    case failure(String)
}
