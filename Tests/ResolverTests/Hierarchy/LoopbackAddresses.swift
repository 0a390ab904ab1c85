import Foundation
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Picking loopback addresses where port 53 is free. Iterative resolution from our root hints
/// needs the authoritative server on port 53 (delegations carry addresses, not ports), so each
/// hierarchy takes its own 127.53.X.0/24 with X drawn at random, checked by binding.
enum LoopbackAddresses {
    /// A base "127.53.X" whose .1, .2 and .3 have UDP and TCP port 53 free.
    static func freeBase() throws -> String {
        for _ in 0..<50 {
            let base = "127.53.\(Int.random(in: 20...250))"
            if isFree(base + ".1"), isFree(base + ".2"), isFree(base + ".3") { return base }
        }
        throw TestSupportError(.systemCall, "no 127.53.X.1-3 with port 53 free (binding port 53 needs root)")
    }

    /// True when UDP and TCP port 53 on `address` can be bound now.
    static func isFree(_ address: String) -> Bool {
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
