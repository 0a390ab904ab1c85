import DNSWire
import EventLoop

/// A response that answers the question: NOERROR (with records or NODATA) or NXDOMAIN.
/// Failures never arrive as answers; they are `ResolverError`s.
public struct ResolverAnswer: Sendable {
    /// The response and its server, shared with the cache entry: handing out a cached answer
    /// costs one reference count, not one per section.
    let response: ReceivedResponse

    /// The whole response, with RRSIG/NSEC/NSEC3 records when DO was set. TTLs are as
    /// received (see `remainingTTL` for a cached answer's age).
    public var message: Message { response.message }
    public var rcode: RCode { response.message.rcode }
    /// The AD bit as received.
    public var authenticData: Bool { response.message.header.authenticData }
    /// True only in `trust-ad` mode, from a loopback server, with AD set.
    public var authenticDataTrusted: Bool
    /// The server that answered.
    public var server: SocketAddress { response.server }
    public var fromCache: Bool
    /// The answer came over TCP after a truncated UDP answer.
    public var usedTCP: Bool
    /// Seconds until the cache drops this answer; nil when it was not cached.
    public var remainingTTL: UInt32?

    public init(message: Message, authenticDataTrusted: Bool, server: SocketAddress, fromCache: Bool,
                usedTCP: Bool, remainingTTL: UInt32?) {
        self.init(response: ReceivedResponse(message: message, server: server, usedTCP: usedTCP),
                  authenticDataTrusted: authenticDataTrusted, fromCache: fromCache, remainingTTL: remainingTTL)
    }

    init(response: ReceivedResponse, authenticDataTrusted: Bool, fromCache: Bool, remainingTTL: UInt32?) {
        self.response = response
        self.authenticDataTrusted = authenticDataTrusted
        self.fromCache = fromCache
        self.usedTCP = response.usedTCP
        self.remainingTTL = remainingTTL
    }

    /// NXDOMAIN: the name does not exist (RFC 8020: nor anything below it).
    public var isNameError: Bool { rcode == .nxDomain }

    /// NODATA (RFC 2308 §2.2): NOERROR without a record of the asked type at the end of the
    /// CNAME chain.
    public var isNoData: Bool {
        guard rcode == .noError, let question = message.questions.first else { return false }
        return !message.answers.contains { $0.type == question.type || question.type == .any }
    }

    /// The answer records of `type` (all owners: the end of any CNAME chain included).
    public func records(ofType type: RRType) -> [Record] {
        message.answers.filter { $0.type == type }
    }
}

/// A response as received, with where and how it came; immutable, shared by answers and the
/// cache.
final class ReceivedResponse: Sendable {
    let message: Message
    let server: SocketAddress
    let serverIsLoopback: Bool
    let usedTCP: Bool

    init(message: Message, server: SocketAddress, usedTCP: Bool) {
        self.message = message
        self.server = server
        self.serverIsLoopback = server.isLoopback
        self.usedTCP = usedTCP
    }
}
