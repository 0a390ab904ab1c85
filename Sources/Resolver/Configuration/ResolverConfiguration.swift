import EventLoop

/// How a `StubResolver` talks to its upstream servers.
public struct ResolverConfiguration: Sendable {
    /// The servers, tried in order (or rotated), each once per attempt.
    public private(set) var servers: [SocketAddress]
    /// How long to wait for one server before moving to the next.
    public var perServerTimeout: Duration = .seconds(5)
    /// Rounds through the server list.
    public var attempts = 2
    /// The most a lookup may take, whatever the retries; nil means perServerTimeout × servers ×
    /// attempts (plus one per-server timeout of room for a TCP retry), at most 60 seconds.
    public var timeBudget: Duration?
    /// Start each lookup at the next server (resolv.conf `options rotate`).
    public var rotate = false
    /// The EDNS(0) UDP payload size we advertise (RFC 6891 §6.2.5); 1232 avoids IP fragmentation
    /// (the DNS flag day 2020 value).
    public var udpPayloadSize: UInt16 = 1232
    /// Retry over TCP when a UDP answer is truncated (RFC 7766 §5). Off only for tests.
    public var tcpFallback = true
    /// Bind each query's UDP socket to a port drawn from our CSPRNG (RFC 5452 §9.2). When false,
    /// the kernel picks the port (port 0).
    public var randomSourcePorts = true
    /// DNS 0x20: send the query name in random letter case and require the answer to echo it
    /// exactly. Off by default: some middleboxes and old servers do not preserve case.
    public var randomizeNameCase = false
    /// `trust-ad` mode: report the AD bit as trusted, but only from a loopback server.
    public private(set) var trustAD = false

    /// A configuration with `servers`; an empty list is an `.invalidConfiguration` error.
    public init(servers: [SocketAddress]) throws(ResolverError) {
        guard !servers.isEmpty else {
            throw ResolverError(.invalidConfiguration, "no upstream servers configured")
        }
        self.servers = servers
    }

    /// A configuration from server strings (`ADDR`, `ADDR:PORT`, `[v6]:PORT`).
    public init(serverStrings: [String]) throws(ResolverError) {
        var servers: [SocketAddress] = []
        for text in serverStrings { servers.append(try NameServerAddress.parse(text)) }
        try self.init(servers: servers)
    }

    /// A configuration from resolv.conf: servers, timeout, attempts, rotate and trust-ad.
    public init(resolvConf: ResolvConf) throws(ResolverError) {
        try self.init(servers: resolvConf.servers)
        perServerTimeout = .seconds(resolvConf.timeoutSeconds)
        attempts = resolvConf.attempts
        rotate = resolvConf.rotate
        trustAD = resolvConf.trustAD
    }

    /// Turns `trust-ad` on or off. The AD bit is believed only from loopback servers
    /// (127.0.0.0/8, ::1): anywhere else it crossed a network where anyone could set it.
    /// Returns one warning per server whose AD bit will therefore never be trusted.
    @discardableResult
    public mutating func setTrustAD(_ enabled: Bool) -> [String] {
        trustAD = enabled
        return trustADWarnings
    }

    /// Like `setTrustAD(true)`, but a non-loopback server is an `.invalidConfiguration` error.
    public mutating func requireTrustAD() throws(ResolverError) {
        let warnings = setTrustAD(true)
        if !warnings.isEmpty {
            trustAD = false
            throw ResolverError(.invalidConfiguration, warnings.joined(separator: "; "))
        }
    }

    /// In `trust-ad` mode, one warning per non-loopback server (whose AD bit is ignored).
    public var trustADWarnings: [String] {
        guard trustAD else { return [] }
        return servers.filter { !$0.isLoopback }.map {
            "trust-ad: server \($0) is not on a loopback address; its AD bit will not be trusted"
        }
    }

    /// The overall deadline of one lookup.
    public var effectiveTimeBudget: Duration {
        if let timeBudget { return timeBudget }
        let rounds = max(attempts, 1) * servers.count + 1
        return min(perServerTimeout * rounds, .seconds(60))
    }
}
