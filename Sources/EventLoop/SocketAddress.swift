internal import CLibUV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address with a port, written `127.0.0.1:53` or `[::1]:53`.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address family: IPv4 or IPv6.
    public enum Family: Sendable, Hashable { case ipv4, ipv6 }

    public let family: Family
    /// The address in its textual form, without brackets (`::1`).
    public let host: String
    public let port: UInt16

    /// Parses `a.b.c.d:port` or `[v6]:port`. Bad input is an `EINVAL` error, never a trap.
    public init(parsing text: String) throws(EventLoopError) {
        let invalid = EventLoopError(code: Int32(UV_EINVAL.rawValue), operation: "parse address '\(text)'")
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw invalid }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw invalid }
            portPart = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw invalid }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            if hostPart.contains(":") { throw invalid }  // IPv6 needs brackets
        }
        guard !portPart.isEmpty, portPart.allSatisfy({ ("0"..."9").contains($0) }), let port = UInt16(portPart) else {
            throw invalid
        }
        try self.init(host: String(hostPart), port: port)
    }

    /// An address from a literal IPv4 or IPv6 host (no names: nothing here resolves DNS).
    public init(host: String, port: UInt16) throws(EventLoopError) {
        var v4 = sockaddr_in()
        var v6 = sockaddr_in6()
        if uv_ip4_addr(host, Int32(port), &v4) == 0 {
            family = .ipv4
        } else if uv_ip6_addr(host, Int32(port), &v6) == 0 {
            family = .ipv6
        } else {
            throw EventLoopError(code: Int32(UV_EINVAL.rawValue), operation: "parse address '\(host)'")
        }
        self.port = port
        // Keep the canonical spelling (`::1`, not `0:0::1`) so equal addresses compare equal.
        self.host = family == .ipv4 ? SocketAddress.name(of: v4) : SocketAddress.name(of: v6)
    }

    /// Reads a `sockaddr` filled in by the kernel or libuv.
    init?(_ address: UnsafePointer<sockaddr>) {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let v4 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in.self)
            family = .ipv4
            host = SocketAddress.name(of: v4)
            port = UInt16(bigEndian: v4.sin_port)
        case AF_INET6:
            let v6 = UnsafeRawPointer(address).loadUnaligned(as: sockaddr_in6.self)
            family = .ipv6
            host = SocketAddress.name(of: v6)
            port = UInt16(bigEndian: v6.sin6_port)
        default:
            return nil
        }
    }

    public var description: String {
        family == .ipv4 ? "\(host):\(port)" : "[\(host)]:\(port)"
    }

    /// The same address with another port.
    public func withPort(_ port: UInt16) -> SocketAddress {
        // The host was produced by uv_ip*_name, so it parses again.
        (try? SocketAddress(host: host, port: port)) ?? self
    }

    /// Calls `body` with the address as a `sockaddr` and its length.
    func withSockAddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> Result) rethrows -> Result {
        switch family {
        case .ipv4:
            var v4 = sockaddr_in()
            uv_ip4_addr(host, Int32(port), &v4)
            return try withUnsafePointer(to: &v4) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .ipv6:
            var v6 = sockaddr_in6()
            uv_ip6_addr(host, Int32(port), &v6)
            return try withUnsafePointer(to: &v6) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    /// Reads an address with `getsockname`/`getpeername`-style functions.
    static func read(
        _ operation: String, _ call: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<Int32>) -> Int32
    ) throws(EventLoopError) -> SocketAddress {
        var storage = sockaddr_storage()
        var length = Int32(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { call($0, &length) }
        }
        try EventLoopError.check(status, operation)
        let address = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress($0) }
        }
        guard let address else {
            throw EventLoopError(code: Int32(UV_EAFNOSUPPORT.rawValue), operation: operation)
        }
        return address
    }

    private static func name(of address: sockaddr_in) -> String {
        var address = address
        var text = [CChar](repeating: 0, count: 64)
        uv_ip4_name(&address, &text, text.count)
        return decodeNulTerminated(text)
    }

    private static func name(of address: sockaddr_in6) -> String {
        var address = address
        var text = [CChar](repeating: 0, count: 64)
        uv_ip6_name(&address, &text, text.count)
        return decodeNulTerminated(text)
    }

    private static func decodeNulTerminated(_ text: [CChar]) -> String {
        let end = text.firstIndex(of: 0) ?? text.endIndex
        return String(decoding: text[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
