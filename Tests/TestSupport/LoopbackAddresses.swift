import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Picking loopback addresses where port 53 is free. Iterative resolution from root hints
/// needs the authoritative servers on port 53 (delegations carry addresses, not ports), so each
/// test hierarchy takes its own 127.N.X.0/24 with X drawn at random, checked by binding.
public enum LoopbackAddresses {
    /// A base "127.`network`.X" whose .1 ... .`hosts` have UDP and TCP port 53 free. Suites
    /// use different `network`s (127.53, 127.54, ...) so they never draw the same base.
    public static func freeBase(network: Int = 53, hosts: Int = 3) throws -> String {
        for _ in 0..<50 {
            let base = "127.\(network).\(Int.random(in: 20...250))"
            if (1...hosts).allSatisfy({ isFree(base + ".\($0)") }) { return base }
        }
        throw TestSupportError(
            .systemCall, "no 127.\(network).X.1-\(hosts) with port 53 free (binding port 53 needs root)")
    }

    /// True when UDP and TCP port 53 on `address` can be bound now.
    public static func isFree(_ address: String) -> Bool {
        for type in [Int32(SOCK_DGRAM.rawValue), Int32(SOCK_STREAM.rawValue)] {
            let fd = socket(AF_INET, type, 0)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = UInt16(53).bigEndian
            socketAddress.sin_addr.s_addr = inet_addr(address)
            let bound = withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if bound != 0 { return false }
        }
        return true
    }
}
