import EventLoop

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GatewayConfiguration {
    /// Reads and checks the configuration file at `path`: what `danegate check-config` and
    /// `danegate --config` call. Every problem found is in the error, each naming the file,
    /// line and key. Reads at most ``GatewayConfigurationParser``'s size bound plus one byte,
    /// so a huge or endless file (a FIFO, /dev/zero) is refused without being read to its end.
    public static func load(path: String) throws(ConfigurationError) -> GatewayConfiguration {
        let bytes: [UInt8]
        do throws(ConfigurationValueError) {
            bytes = try readBounded(path: path, limit: INIFile.maximumFileSize + 1)
        } catch {
            throw ConfigurationError(problems: [
                ConfigurationProblem(file: path, line: nil, key: nil, message: error.message)
            ])
        }
        return try GatewayConfigurationParser(file: path).parse(bytes)
    }

    /// Up to `limit` bytes of the file.
    private static func readBounded(path: String, limit: Int) throws(ConfigurationValueError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ConfigurationValueError("cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count < limit {
            let wanted = min(chunk.count, limit - bytes.count)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, wanted) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ConfigurationValueError("cannot read: \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
        }
        return bytes
    }
}

extension ServiceConfiguration {
    /// The client networks let in: `allow`, or loopback alone when `allow` is missing, so
    /// that a gateway listening on a public address is never an open relay (issue 11).
    public var admittedClients: [AddressRange] {
        allow ?? AddressRange.loopback
    }

    /// True when a client at `address` may use this service.
    public func admits(_ address: SocketAddress) -> Bool {
        guard var bytes = AddressRange.addressBytes(address.host) else { return false }
        // An IPv4 client on a dual-stack listener arrives as ::ffff:a.b.c.d (RFC 4291 §2.5.5.2).
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            bytes = Array(bytes[12..<16])
        }
        return admittedClients.contains { $0.contains(bytes: bytes) }
    }
}
