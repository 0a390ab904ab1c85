import EventLoop

/// Why one value in the configuration could not be read; the parser adds the file, line and key.
public struct ConfigurationValueError: Error, Sendable, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}

/// Readers for the kinds of value the configuration holds. Each either returns the value or
/// throws a message that says what was expected.
enum ConfigurationValue {
    /// The longest duration any timeout may have: a day. Bounds the arithmetic too.
    static let maximumDuration = Duration.seconds(86_400)

    /// `30`, `30s`, `250ms`, `5m`, `1h`, `2d`: an integer and an optional unit; no unit means
    /// seconds.
    static func duration(
        _ text: String, maximum: Duration = maximumDuration
    ) throws(ConfigurationValueError) -> Duration {
        let digits = text.prefix { ("0"..."9").contains($0) }
        let unit = text.dropFirst(digits.count)
        let expected = "expected a duration such as 30, 30s, 250ms, 5m or 1h"
        guard !digits.isEmpty, digits.count <= 9, let count = Int64(digits) else {
            throw ConfigurationValueError(expected)
        }
        let milliseconds: Int64
        switch unit {
        case "", "s": milliseconds = count * 1000
        case "ms": milliseconds = count
        case "m": milliseconds = count * 60_000
        case "h": milliseconds = count * 3_600_000
        case "d": milliseconds = count * 86_400_000
        default: throw ConfigurationValueError(expected + " (units: ms, s, m, h, d)")
        }
        let duration = Duration.milliseconds(milliseconds)
        guard duration > .zero else { throw ConfigurationValueError("must be longer than zero") }
        guard duration <= maximum else {
            throw ConfigurationValueError("must be at most \(maximum.components.seconds / 3600)h")
        }
        return duration
    }

    /// `yes` or `no`.
    static func boolean(_ text: String) throws(ConfigurationValueError) -> Bool {
        switch text {
        case "yes": return true
        case "no": return false
        default: throw ConfigurationValueError("expected yes or no")
        }
    }

    /// A decimal integer in `range`.
    static func integer(_ text: String, in range: ClosedRange<Int>) throws(ConfigurationValueError) -> Int {
        guard !text.isEmpty, text.count <= 10, text.allSatisfy({ ("0"..."9").contains($0) }), let value = Int(text),
            range.contains(value)
        else {
            throw ConfigurationValueError("expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A TCP port, 1-65535 (0 too when `allowZero`: a listener on a port the kernel picks).
    static func port(_ text: Substring, allowZero: Bool = false) throws(ConfigurationValueError) -> UInt16 {
        let lowest = allowZero ? 0 : 1
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ ("0"..."9").contains($0) }), let value = Int(text),
            value >= lowest, value <= 65535
        else {
            throw ConfigurationValueError("port must be a number from \(lowest) to 65535")
        }
        return UInt16(value)
    }

    /// `ADDR:PORT` with an IPv4 address or `[IPv6]:PORT`; a listener takes no host names.
    static func listenAddress(_ text: String) throws(ConfigurationValueError) -> SocketAddress {
        let expected = "expected ADDR:PORT (an IPv4 address, or [IPv6]:PORT)"
        let (host, portText) = try splitHostPort(text, expected: expected)
        let port = try port(portText, allowZero: true)
        guard let address = try? SocketAddress(host: String(host), port: port) else {
            throw ConfigurationValueError(expected + "; '\(host)' is not an address")
        }
        return address
    }

    /// `ADDR` or `ADDR:PORT` (`[IPv6]:PORT`), port 53 by default: a DNS server.
    static func resolverAddress(_ text: String) throws(ConfigurationValueError) -> SocketAddress {
        if let address = try? SocketAddress(host: text, port: 53) { return address }
        let expected = "expected ADDR or ADDR:PORT (IPv6 as [ADDR]:PORT)"
        let (host, portText) = try splitHostPort(text, expected: expected)
        let port = try port(portText)
        guard let address = try? SocketAddress(host: String(host), port: port) else {
            throw ConfigurationValueError(expected + "; '\(host)' is not an address")
        }
        return address
    }

    /// `connect`: `HOST:PORT`, `mx:DOMAIN[:PORT]`, `srv:DOMAIN` or `srv:*`.
    static func connectTarget(_ text: String) throws(ConfigurationValueError) -> ConnectTarget {
        if text.hasPrefix("mx:") {
            let rest = text.dropFirst(3)
            var domain = rest
            var port: UInt16 = 25  // RFC 5321 §4.5.4 relays deliver to port 25
            if let colon = rest.lastIndex(of: ":") {
                domain = rest[..<colon]
                port = try self.port(rest[rest.index(after: colon)...])
            }
            try checkHostName(domain, what: "mail domain")
            return .mx(domain: String(domain), port: port)
        }
        if text.hasPrefix("srv:") {
            let domain = text.dropFirst(4)
            if domain == "*" { return .srvFromClient }
            if domain.contains(":") {
                throw ConfigurationValueError("srv: takes a domain only; the SRV records give the port (RFC 6120 §3.2.1)")
            }
            try checkHostName(domain, what: "XMPP domain")
            return .srv(domain: String(domain))
        }
        let expected = "expected HOST:PORT, [IPv6]:PORT, mx:DOMAIN[:PORT], srv:DOMAIN or srv:*"
        let (host, portText) = try splitHostPort(text, expected: expected)
        let port = try port(portText)
        if text.hasPrefix("[") {
            guard let address = try? SocketAddress(host: String(host), port: port), address.family == .ipv6 else {
                throw ConfigurationValueError(expected + "; '\(host)' is not an IPv6 address")
            }
            return .host(address.host, port: port)
        }
        if isIPv4Literal(host) { return .host(String(host), port: port) }
        try checkHostName(host, what: "host name")
        return .host(String(host), port: port)
    }

    /// `helo`: the name we give in EHLO, a domain or an address literal (RFC 5321 §4.1.3).
    static func heloName(_ text: String) throws(ConfigurationValueError) -> String {
        if text.hasPrefix("[") && text.hasSuffix("]") {
            let literal = text.dropFirst().dropLast()
            let address = literal.hasPrefix("IPv6:") ? literal.dropFirst(5) : literal
            guard (try? SocketAddress(host: String(address), port: 0)) != nil else {
                throw ConfigurationValueError("'\(text)' is not an address literal such as [192.0.2.1] or [IPv6:2001:db8::1]")
            }
            return text
        }
        try checkHostName(text[...], what: "host name")
        return text
    }

    /// `sni`: a host name, never an address (RFC 6066 §3).
    static func serverName(_ text: String) throws(ConfigurationValueError) -> String {
        if isIPv4Literal(text[...]) || text.contains(":") {
            throw ConfigurationValueError("SNI must be a host name, not an address (RFC 6066 §3)")
        }
        try checkHostName(text[...], what: "host name")
        return text
    }

    /// An absolute path: the daemon may run with `/` as its working directory.
    static func absolutePath(_ text: String) throws(ConfigurationValueError) -> String {
        guard text.hasPrefix("/") else { throw ConfigurationValueError("expected an absolute path") }
        return text
    }

    /// A comma-separated list of CIDR ranges or bare addresses.
    static func addressRanges(_ text: String) throws(ConfigurationValueError) -> [AddressRange] {
        var ranges: [AddressRange] = []
        for item in try listItems(text) {
            ranges.append(try AddressRange(parsing: item))
        }
        return ranges
    }

    /// The items of a comma-separated list, trimmed; an empty item is an error.
    static func listItems(_ text: String) throws(ConfigurationValueError) -> [String] {
        var items: [String] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = INIFile.trimmed(item)
            guard !item.isEmpty else { throw ConfigurationValueError("empty item in the list") }
            items.append(String(item))
        }
        return items
    }

    /// Splits `HOST:PORT` or `[V6]:PORT` into the host (without brackets) and the port text.
    private static func splitHostPort(
        _ text: String, expected: String
    ) throws(ConfigurationValueError) -> (Substring, Substring) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw ConfigurationValueError(expected) }
            let host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":"), !host.isEmpty else { throw ConfigurationValueError(expected) }
            return (host, rest.dropFirst())
        }
        guard let colon = text.lastIndex(of: ":") else { throw ConfigurationValueError(expected + "; the port is missing") }
        let host = text[..<colon]
        guard !host.isEmpty else { throw ConfigurationValueError(expected + "; the host is missing") }
        // `2001:db8::1:443` could end in a port or in a group: brackets decide (RFC 3986 §3.2.2).
        guard !host.contains(":") else { throw ConfigurationValueError(expected + "; an IPv6 address needs brackets") }
        return (host, text[text.index(after: colon)...])
    }

    private static func isIPv4Literal(_ text: Substring) -> Bool {
        text.allSatisfy { ("0"..."9").contains($0) || $0 == "." } && (try? SocketAddress(host: String(text), port: 0)) != nil
    }

    /// A DNS host name: labels of letters, digits and hyphens (RFC 952, RFC 1123 §2.1), none
    /// longer than 63 octets, 253 in all; one trailing dot is allowed.
    static func checkHostName(_ text: Substring, what: String) throws(ConfigurationValueError) {
        var name = text
        if name.hasSuffix(".") { name = name.dropLast() }
        guard !name.isEmpty else { throw ConfigurationValueError("the \(what) is missing") }
        guard name.utf8.count <= 253 else { throw ConfigurationValueError("the \(what) is longer than 253 characters") }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        // An all-numeric last label is an address typed wrong, not a name (RFC 3696 §2).
        if let last = labels.last, last.allSatisfy({ ("0"..."9").contains($0) }) {
            throw ConfigurationValueError("'\(text)' is neither an IPv4 address nor a \(what)")
        }
        for label in labels {
            let valid = !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy {
                    ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                }
            guard valid else {
                throw ConfigurationValueError(
                    "'\(text)' is not a valid \(what) (labels of letters, digits and '-', at most 63 characters each)")
            }
        }
    }
}
