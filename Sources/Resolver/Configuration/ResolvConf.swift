import EventLoop

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a stub resolver takes from `/etc/resolv.conf` (resolv.conf(5)): `nameserver` lines
/// (IPv4 or IPv6), and `options timeout:N attempts:N rotate trust-ad`. `domain`, `search`
/// and `sortlist` are ignored: this resolver only asks absolute names. Comments start with
/// `#` or `;`.
public struct ResolvConf: Sendable, Equatable {
    public var servers: [SocketAddress] = []
    /// Seconds to wait for one server (glibc: default 5, at most 30).
    public var timeoutSeconds = 5
    /// Rounds through the server list (glibc: default 2, at most 5).
    public var attempts = 2
    /// Start each lookup at the next server instead of the first.
    public var rotate = false
    /// `options trust-ad`: believe the AD bit (only honoured for loopback servers here).
    public var trustAD = false
    /// Lines that were skipped, each with its line number and why.
    public var warnings: [String] = []

    public static let defaultPath = "/etc/resolv.conf"
    static let maxTimeoutSeconds = 30
    static let maxAttempts = 5
    /// The largest resolv.conf read: the file is a few lines; anything bigger is a mistake.
    static let maxFileSize = 64 * 1024

    public init() {}

    /// Parses resolv.conf text. Bad lines become warnings, as in glibc; with no usable
    /// `nameserver` line the server is 127.0.0.1:53 (glibc's default), with a warning.
    public init(parsing text: String) {
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Substring(rawLine)
            if let comment = line.firstIndex(where: { $0 == "#" || $0 == ";" }) {
                line = line[..<comment]
            }
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard let keyword = words.first else { continue }
            switch keyword {
            case "nameserver":
                guard words.count >= 2 else {
                    warnings.append("line \(lineNumber): nameserver without an address")
                    continue
                }
                do {
                    servers.append(try NameServerAddress.parse(String(words[1])))
                } catch {
                    warnings.append("line \(lineNumber): \(error.reason)")
                }
            case "options":
                for option in words.dropFirst() { apply(option: option, line: lineNumber) }
            case "domain", "search", "sortlist":
                continue
            default:
                warnings.append("line \(lineNumber): unknown keyword '\(keyword)' ignored")
            }
        }
        if servers.isEmpty {
            // A literal that always parses.
            if let local = try? SocketAddress(host: "127.0.0.1", port: NameServerAddress.defaultPort) {
                servers = [local]
            }
            warnings.append("no usable nameserver line: using 127.0.0.1:53")
        }
    }

    private mutating func apply(option: Substring, line: Int) {
        func number(after prefix: String, max: Int) -> Int? {
            guard let value = Int(option.dropFirst(prefix.count)), value >= 0 else {
                warnings.append("line \(line): bad value in option '\(option)'")
                return nil
            }
            return min(value, max)
        }
        if option.hasPrefix("timeout:") {
            if let value = number(after: "timeout:", max: ResolvConf.maxTimeoutSeconds) {
                timeoutSeconds = Swift.max(value, 1)
            }
        } else if option.hasPrefix("attempts:") {
            if let value = number(after: "attempts:", max: ResolvConf.maxAttempts) {
                attempts = Swift.max(value, 1)
            }
        } else if option == "rotate" {
            rotate = true
        } else if option == "trust-ad" {
            trustAD = true
        }
        // Other options (ndots, edns0, single-request, ...) do not apply to this resolver.
    }

    /// Reads and parses a file (by default /etc/resolv.conf).
    public static func load(path: String = defaultPath) throws(ResolverError) -> ResolvConf {
        ResolvConf(parsing: try readSmallFile(path))
    }

    private static func readSmallFile(_ path: String) throws(ResolverError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ResolverError(.invalidConfiguration, "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ResolverError(.invalidConfiguration, "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            contents.append(contentsOf: chunk[0..<count])
            guard contents.count <= maxFileSize else {
                throw ResolverError(.invalidConfiguration, "\(path) is larger than \(maxFileSize) bytes")
            }
        }
        return String(decoding: contents, as: UTF8.self)
    }
}
