import EventLoop

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension AddressRange {
    /// Reads `192.0.2.0/24`, `2001:db8::/32`, or a bare address (a range of one). An address
    /// with bits set past the prefix is refused rather than silently widened: `192.0.2.7/24`
    /// is more likely a typo than a wish to let in the whole /24.
    public init(parsing text: String) throws(ConfigurationValueError) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let addressText = String(parts[0])
        guard let bytes = AddressRange.addressBytes(addressText) else {
            throw ConfigurationValueError("'\(text)' is not an address or CIDR range (192.0.2.0/24, 2001:db8::/32)")
        }
        let maximum = bytes.count * 8
        var prefixLength = maximum
        if parts.count == 2 {
            let prefixText = parts[1]
            guard !prefixText.isEmpty, prefixText.count <= 3, prefixText.allSatisfy({ ("0"..."9").contains($0) }),
                let length = Int(prefixText), length <= maximum
            else {
                throw ConfigurationValueError("'\(text)': the prefix length must be 0 to \(maximum)")
            }
            prefixLength = length
        }
        self.init(network: bytes, prefixLength: prefixLength)
        guard network == bytes else {
            throw ConfigurationValueError("'\(text)' has bits set past the /\(prefixLength) prefix; did you mean \(self)?")
        }
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 literal, in network order.
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = [UInt8](repeating: 0, count: 4)
        if inet_pton(AF_INET, text, &v4) == 1 { return v4 }
        var v6 = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET6, text, &v6) == 1 { return v6 }
        return nil
    }

    /// 127.0.0.0/8 and ::1: the clients let in when `accept` is not a loopback address and
    /// `allow` is missing (issue 11: never an open relay).
    public static let loopback: [AddressRange] = [
        AddressRange(network: [127, 0, 0, 0], prefixLength: 8),
        AddressRange(network: [UInt8](repeating: 0, count: 15) + [1], prefixLength: 128),
    ]

    /// True for 127.0.0.0/8 and ::1.
    public static func isLoopback(_ address: SocketAddress) -> Bool {
        guard let bytes = addressBytes(address.host) else { return false }
        return loopback.contains { $0.contains(bytes: bytes) }
    }
}
