/// Bounds that keep clients from holding the server's memory or descriptors (DESIGN.md
/// rule 11).
public struct ServerLimits: Sendable {
    /// Open TCP connections at most; a connection over the cap is closed at once.
    public var maxTCPConnections: Int
    /// A TCP connection with no complete query for this long is closed (RFC 7766 §6.2.3
    /// suggests seconds, not minutes).
    public var tcpIdleTimeout: Duration
    /// The largest query accepted over TCP; a longer length prefix closes the connection.
    public var maxQuerySize: Int
    /// Response bytes queued on one TCP connection before we stop reading its queries.
    public var maxQueuedResponseBytes: Int

    public init(
        maxTCPConnections: Int = 512, tcpIdleTimeout: Duration = .seconds(10), maxQuerySize: Int = 16 * 1024,
        maxQueuedResponseBytes: Int = 256 * 1024
    ) {
        self.maxTCPConnections = maxTCPConnections
        self.tcpIdleTimeout = tcpIdleTimeout
        self.maxQuerySize = maxQuerySize
        self.maxQueuedResponseBytes = maxQueuedResponseBytes
    }
}
