// dnssec-bench: validated TLSA lookups, ours against Unbound's, on a loopback hierarchy that
// scripts/bench-dnssec builds. Prints figures; asserts nothing.
//
//   dnssec-bench --resolver ADDR --authority ROOT-SERVER-ADDR --anchor FILE --control-config UNBOUND.CONF
//                [--runs 20] [--seconds 3]
//
// 1. Cold latency: Unbound's cache flushed (unbound-control flush_zone . / flush_infra all)
//    before each run; ours is a fresh ValidatingResolver using Unbound as its recursive resolver
//    (CD set), Unbound's is one DO query without CD (Unbound validates, answers with AD). Also
//    ours iterating from the root hints to the authoritative server itself (IteratingFetcher).
// 2. Warm rate: validated lookups per second from our cache (one task, one lookup after another)
//    against queries per second to Unbound over loopback UDP (one client, one after another).

import DNSSEC
import DNSWire
import EventLoop
import Foundation
import Resolver

#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var resolver = "127.0.0.1"
    var authority = ""
    var anchor = ""
    var controlConfig = ""
    var runs = 20
    var seconds = 3.0
    var name: Name = "_443._tcp.www.example.test."
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let flag = arguments.next() {
        guard let value = arguments.next() else { fail("\(flag) needs a value") }
        switch flag {
        case "--resolver": options.resolver = value
        case "--authority": options.authority = value
        case "--anchor": options.anchor = value
        case "--control-config": options.controlConfig = value
        case "--runs": options.runs = Int(value) ?? options.runs
        case "--seconds": options.seconds = Double(value) ?? options.seconds
        case "--name":
            guard let name = try? Name(presentation: value) else { fail("bad name \(value)") }
            options.name = name
        default: fail("unknown option \(flag)")
        }
    }
    if options.anchor.isEmpty || options.controlConfig.isEmpty { fail("--anchor and --control-config are required") }
    return options
}

func fail(_ text: String) -> Never {
    FileHandle.standardError.write(Data("dnssec-bench: \(text)\n".utf8))
    exit(1)
}

/// Seconds on a monotonic clock.
func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Empties Unbound's caches (messages, RRsets, keys, infrastructure).
func flushUnbound(_ options: Options) {
    for command in [["flush_zone", "."], ["flush_infra", "all"], ["flush_bogus"], ["flush_negative"]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/unbound-control")
        process.arguments = ["-c", options.controlConfig] + command
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { fail("unbound-control: \(error)") }
        process.waitUntilExit()
        if process.terminationStatus != 0 { fail("unbound-control \(command.joined(separator: " ")) failed") }
    }
}

/// A connected UDP socket to Unbound, for one query at a time.
final class UDPClient {
    let fd: Int32

    init(address: String, port: UInt16 = 53) {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { fail("socket: errno \(errno)") }
        var peer = sockaddr_in()
        peer.sin_family = sa_family_t(AF_INET)
        peer.sin_port = port.bigEndian
        peer.sin_addr.s_addr = inet_addr(address)
        let connected = withUnsafePointer(to: &peer) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { fail("connect: errno \(errno)") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Sends `query` and returns the answer with the same ID (raw bytes).
    func exchange(_ query: [UInt8], buffer: inout [UInt8]) -> Int {
        _ = query.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count >= 12 else { fail("no answer from Unbound (errno \(errno))") }
            if buffer[0] == query[0] && buffer[1] == query[1] { return count }
        }
    }
}

func query(_ name: Name, id: UInt16) -> [UInt8] {
    do {
        return try Message.query(id: id, name: name, type: .tlsa).encode()
    } catch {
        fail("cannot encode the query: \(error)")
    }
}

func makeResolver(_ options: Options, anchors: TrustAnchorStore, prefetch: Bool = false) -> ValidatingResolver {
    do {
        var configuration = try ResolverConfiguration(serverStrings: [options.resolver])
        configuration.perServerTimeout = .seconds(5)
        return ValidatingResolver(
            resolver: try AsyncResolver(configuration: configuration), anchors: anchors,
            configuration: ValidatingResolverConfiguration(prefetchChain: prefetch))
    } catch {
        fail("cannot start the resolver: \(error)")
    }
}

func benchmark(_ options: Options) async {
    let anchors: TrustAnchorStore
    do { anchors = try TrustAnchorFile.load(path: options.anchor) } catch { fail("\(error)") }
    let client = UDPClient(address: options.resolver)
    var buffer = [UInt8](repeating: 0, count: 65535)

    // Cold: Unbound's own (flushed), then ours (fresh validator, Unbound flushed), interleaved.
    var ours: [Double] = []
    var unbound: [Double] = []
    var chain = ""
    for run in 0..<options.runs {
        flushUnbound(options)
        let bytes = query(options.name, id: UInt16(truncatingIfNeeded: run &+ 1))
        let unboundStart = now()
        let count = client.exchange(bytes, buffer: &buffer)
        unbound.append(now() - unboundStart)
        guard let response = try? Message(bytes: Array(buffer[0..<count])), response.header.authenticData else {
            fail("Unbound's answer was not authenticated (AD clear)")
        }

        flushUnbound(options)
        let resolver = makeResolver(options, anchors: anchors)
        let start = now()
        let answer = await resolver.resolve(options.name, .tlsa)
        ours.append(now() - start)
        resolver.shutdown()
        guard answer.status.isSecure else { fail("our lookup was not secure: \(answer)") }
        chain = answer.chain.map(\.zone.presentation).joined(separator: " → ")
    }
    let oursCold = median(ours) * 1000

    // Ours iterating from root hints, straight to the authoritative server (no Unbound).
    var iterating: [Double] = []
    var iteratingPrefetched: [Double] = []
    if !options.authority.isEmpty {
        for _ in 0..<options.runs {
            for prefetch in [false, true] {
                let fetcher: IteratingFetcher
                do {
                    fetcher = try IteratingFetcher(rootServers: [try SocketAddress(host: options.authority, port: 53)])
                } catch {
                    fail("cannot start the iterating fetcher: \(error)")
                }
                let resolver = ValidatingResolver(
                    iterating: fetcher, anchors: anchors, configuration: ValidatingResolverConfiguration(prefetchChain: prefetch))
                let start = now()
                let answer = await resolver.resolve(options.name, .tlsa)
                if prefetch { iteratingPrefetched.append(now() - start) } else { iterating.append(now() - start) }
                resolver.shutdown()
                guard answer.status.isSecure else { fail("our iterating lookup was not secure: \(answer)") }
            }
        }
    }

    // Ours with the parallel chain prefetch (ValidatingResolverConfiguration.prefetchChain).
    var prefetched: [Double] = []
    for _ in 0..<options.runs {
        flushUnbound(options)
        let resolver = makeResolver(options, anchors: anchors, prefetch: true)
        let start = now()
        let answer = await resolver.resolve(options.name, .tlsa)
        prefetched.append(now() - start)
        resolver.shutdown()
        guard answer.status.isSecure else { fail("our lookup was not secure: \(answer)") }
    }

    // Ours again with a cold validator but Unbound's cache warm: our own share of a cold lookup
    // (validation, the walk's round trips to Unbound over loopback).
    var oursOnly: [Double] = []
    var oursOnlyPrefetched: [Double] = []
    for _ in 0..<options.runs {
        for prefetch in [false, true] {
            let resolver = makeResolver(options, anchors: anchors, prefetch: prefetch)
            let start = now()
            let answer = await resolver.resolve(options.name, .tlsa)
            let elapsed = now() - start
            if prefetch { oursOnlyPrefetched.append(elapsed) } else { oursOnly.append(elapsed) }
            resolver.shutdown()
            guard answer.status.isSecure else { fail("our lookup was not secure: \(answer)") }
        }
    }
    let unboundCold = median(unbound) * 1000

    // Warm: our cache against Unbound's (its cache is warm after one query).
    let resolver = makeResolver(options, anchors: anchors)
    _ = await resolver.resolve(options.name, .tlsa)
    var lookups = 0
    var secure = 0
    let warmStart = now()
    var elapsed = 0.0
    while elapsed < options.seconds {
        for _ in 0..<10_000 {
            let answer = await resolver.resolve(options.name, .tlsa)
            if answer.fromCache && answer.status.isSecure { secure += 1 }
        }
        lookups += 10_000
        elapsed = now() - warmStart
    }
    resolver.shutdown()
    guard secure == lookups else { fail("\(lookups - secure) warm lookups were not secure cache hits") }
    let oursRate = Double(lookups) / elapsed

    let bytes = query(options.name, id: 4242)
    _ = client.exchange(bytes, buffer: &buffer)
    var queries = 0
    let unboundStart = now()
    elapsed = 0
    while elapsed < options.seconds {
        for _ in 0..<1_000 { _ = client.exchange(bytes, buffer: &buffer) }
        queries += 1_000
        elapsed = now() - unboundStart
    }
    let unboundRate = Double(queries) / elapsed

    func format(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }
    print("name: \(options.name.presentation) TLSA, chain \(chain)")
    print("cold validated lookup, median of \(options.runs) (ms):  ours \(format(oursCold))  unbound \(format(unboundCold))  ours/unbound \(format(oursCold / unboundCold))")
    print("  ours min/max \(format((ours.min() ?? 0) * 1000))/\(format((ours.max() ?? 0) * 1000))  unbound min/max \(format((unbound.min() ?? 0) * 1000))/\(format((unbound.max() ?? 0) * 1000))")
    if !iterating.isEmpty {
        print("  ours iterating from root hints (no Unbound): median \(format(median(iterating) * 1000)) ms  iterating/unbound \(format(median(iterating) * 1000 / unboundCold)); with prefetch \(format(median(iteratingPrefetched) * 1000)) ms")
    }
    print("  ours with the parallel chain prefetch: median \(format(median(prefetched) * 1000)) ms")
    print("  ours with Unbound's cache warm (our own share): median \(format(median(oursOnly) * 1000)) ms, with prefetch \(format(median(oursOnlyPrefetched) * 1000)) ms")
    print("warm: ours \(format(oursRate, 0)) validated lookups/s (cache)  unbound \(format(unboundRate, 0)) queries/s (one UDP client, one query after another)  ratio \(format(oursRate / unboundRate, 1))x")
    print("WARM_OURS=\(format(oursRate, 0))")
}

await benchmark(parseOptions())
