import EventLoop

/// Parsing of upstream server addresses as they are written in configuration: `ADDR`,
/// `ADDR:PORT`, `[v6]`, `[v6]:PORT`, or a bare IPv6 address (`::1`, taken as port 53).
public enum NameServerAddress {
    /// The DNS port (RFC 1035 §4.2).
    public static let defaultPort: UInt16 = 53

    public static func parse(_ text: String) throws(ResolverError) -> SocketAddress {
        let trimmed = text.trimmingSpaces()
        func invalid(_ why: String) -> ResolverError {
            ResolverError(.invalidConfiguration, "server address '\(text)': \(why)")
        }
        guard !trimmed.isEmpty else { throw invalid("empty") }
        if trimmed.contains("%") {
            throw invalid("scoped IPv6 addresses (with %interface) are not supported")
        }
        var host = trimmed
        var port = defaultPort
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else { throw invalid("missing ']'") }
            host = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
            let rest = trimmed[trimmed.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw invalid("expected ':PORT' after ']'") }
                port = try parsePort(rest.dropFirst(), invalid)
            }
        } else {
            let colons = trimmed.filter { $0 == ":" }.count
            if colons == 1, let colon = trimmed.firstIndex(of: ":") {
                host = String(trimmed[..<colon])
                port = try parsePort(trimmed[trimmed.index(after: colon)...], invalid)
            }
            // Two or more colons: a bare IPv6 address on the default port.
        }
        do {
            return try SocketAddress(host: host, port: port)
        } catch {
            throw invalid("not an IPv4 or IPv6 address (names are not resolved here)")
        }
    }

    private static func parsePort(
        _ text: Substring, _ invalid: (String) -> ResolverError
    ) throws(ResolverError) -> UInt16 {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ ("0"..."9").contains($0) }),
            let port = UInt16(text), port != 0
        else { throw invalid("port must be 1-65535") }
        return port
    }
}

extension SocketAddress {
    /// True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (::ffff:127.x.y.z): the addresses whose
    /// AD bit may be believed in `trust-ad` mode, since the path to them never leaves the host.
    public var isLoopback: Bool {
        switch family {
        case .ipv4:
            return host.hasPrefix("127.")
        case .ipv6:
            let lowered = host.lowercased()
            return lowered == "::1" || lowered.hasPrefix("::ffff:127.")
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
