import EventLoop

/// A client network in CIDR notation (`127.0.0.0/8`, `::1/128`, or a bare address), for `allow`.
public struct AddressRange: Sendable, Equatable, CustomStringConvertible {
    public let family: SocketAddress.Family
    /// The network address in network byte order (4 or 16 bytes), host bits cleared.
    public let network: [UInt8]
    public let prefixLength: Int

    public init(network: [UInt8], prefixLength: Int) {
        self.family = network.count == 4 ? .ipv4 : .ipv6
        self.prefixLength = prefixLength
        var bytes = network
        for index in bytes.indices {
            let bitsBefore = index * 8
            if bitsBefore >= prefixLength {
                bytes[index] = 0
            } else if prefixLength - bitsBefore < 8 {
                bytes[index] &= UInt8(truncatingIfNeeded: 0xFF << (8 - (prefixLength - bitsBefore)))
            }
        }
        self.network = bytes
    }

    /// True when `address` (4 or 16 bytes, network order) lies in this range.
    public func contains(bytes address: [UInt8]) -> Bool {
        guard address.count == network.count else { return false }
        return AddressRange(network: address, prefixLength: prefixLength).network == network
    }

    public var description: String {
        let text: String
        if family == .ipv4 {
            text = network.map(String.init).joined(separator: ".")
        } else {
            text = stride(from: 0, to: 16, by: 2).map { String(UInt16(network[$0]) << 8 | UInt16(network[$0 + 1]), radix: 16) }
                .joined(separator: ":")
        }
        return "\(text)/\(prefixLength)"
    }
}
