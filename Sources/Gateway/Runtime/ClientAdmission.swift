import EventLoop
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which clients a service lets in (`allow`): the configured networks, or, when `allow` is
/// missing and `accept` is not a loopback address, loopback clients only, so the gateway is
/// never an open relay (issue 11).
struct ClientAdmission: Sendable {
    let allow: [AddressRange]?
    let acceptIsLoopback: Bool

    init(allow: [AddressRange]?, accept: SocketAddress) {
        self.allow = allow
        self.acceptIsLoopback = Self.isLoopback(Self.bytes(of: accept.host) ?? [])
    }

    func admits(_ client: SocketAddress) -> Bool {
        guard let bytes = Self.bytes(of: client.host) else { return false }
        if let allow {
            let candidates = [bytes] + (Self.unmappedIPv4(bytes).map { [$0] } ?? [])
            return allow.contains { range in candidates.contains { range.contains(bytes: $0) } }
        }
        return acceptIsLoopback || Self.isLoopback(bytes)
    }

    /// 127.0.0.0/8, ::1, and ::ffff:127.0.0.0/104.
    static func isLoopback(_ bytes: [UInt8]) -> Bool {
        if bytes.count == 4 { return bytes[0] == 127 }
        if let four = unmappedIPv4(bytes) { return four[0] == 127 }
        return bytes == [UInt8](repeating: 0, count: 15) + [1]
    }

    /// The IPv4 address inside an IPv4-mapped IPv6 address (RFC 4291 §2.5.5.2).
    static func unmappedIPv4(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF else {
            return nil
        }
        return Array(bytes[12...])
    }

    /// The 4 or 16 bytes of an address literal.
    static func bytes(of host: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
