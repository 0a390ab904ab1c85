import DNSWire
import EventLoop

/// How one exchange with one server ended.
enum ExchangeOutcome {
    /// A matching response (any RCODE; the transaction judges it).
    case response(Message)
    /// A matching UDP response with TC set.
    case truncated
    case failed(ExchangeFailure)
}

/// Why one server did not give a usable answer; the transaction collects these to explain a
/// failed lookup.
struct ExchangeFailure {
    var code: ResolverError.Code
    var server: SocketAddress
    var reason: String
    var rcode: RCode? = nil

    var description: String { "\(server): \(reason)" }
}

/// One exchange in flight; `cancel()` releases its socket and timer without reporting.
protocol QueryExchange: AnyObject {
    func cancel()
}
