// resolver-cache-bench: cached lookups per second through the public StubResolver.resolve path,
// in-process, on one event loop and on two loops sharing one ResolverCache (issue 4's target:
// above 1 million per second per core). scripts/bench-dns-server runs it in release. Prints
// figures; asserts nothing.
//
//   resolver-cache-bench [--names 1000] [--seconds 2] [--runs 3]
//
// The cache is filled through its public `store` with one A answer per name (TTL an hour), so
// every lookup is a hit; lookups cycle over the names so the hash table is really used.

import DNSWire
import EventLoop
import Foundation
import Resolver

#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var names = 1000
    var seconds = 2.0
    var runs = 3
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst().makeIterator()
    while let flag = arguments.next() {
        guard let value = arguments.next() else { fail("\(flag) needs a value") }
        switch flag {
        case "--names": options.names = max(1, Int(value) ?? options.names)
        case "--seconds": options.seconds = max(0.1, Double(value) ?? options.seconds)
        case "--runs": options.runs = max(1, Int(value) ?? options.runs)
        default: fail("unknown option \(flag)")
        }
    }
    return options
}

func fail(_ text: String) -> Never {
    FileHandle.standardError.write(Data("resolver-cache-bench: \(text)\n".utf8))
    exit(1)
}

/// Seconds on a monotonic clock.
func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Names h0.bench.test. ... and a cache holding an A answer for each, as a resolver would
/// have stored it (DO set: the default options).
func filledCache(names count: Int) -> (ResolverCache, [Name]) {
    let cache = ResolverCache(capacity: count * 2)
    let server: SocketAddress
    do {
        server = try SocketAddress(parsing: "127.0.0.1:53")
    } catch {
        fail("\(error)")
    }
    var names: [Name] = []
    for index in 0..<count {
        let text = "h\(index).bench.test. 3600 IN A 192.0.2.\(index % 250 + 1)\n"
        do {
            var parser = ZoneFileParser(text: Array(text.utf8), options: .init(origin: try Name(presentation: "bench.test.")))
            let records = try parser.records()
            guard let record = records.first else { fail("no record parsed from \(text)") }
            var message = Message.query(id: 0, name: record.owner, type: .a)
            message.header.isResponse = true
            message.answers = records
            let stored = cache.store(CacheKey(name: record.owner, type: .a, options: ResolveOptions()), message: message, server: server)
            guard stored != nil else { fail("the cache would not take \(text)") }
            names.append(record.owner)
        } catch {
            fail("\(error)")
        }
    }
    return (cache, names)
}

/// Counts answers; confined to one loop's thread.
final class Tally: @unchecked Sendable {
    var answers = 0
    var failures = 0
    var lookups = 0
    var elapsed = 0.0
}

/// Runs lookups back to back on `resolver`'s loop for `seconds`, after `start` opens; the
/// result lands in `tally` and `done` is signalled.
func hammer(_ resolver: StubResolver, names: [Name], seconds: Double, tally: Tally, start: DispatchSemaphore, done: DispatchSemaphore) {
    resolver.loop.execute {
        start.wait()
        let completion: StubResolver.Completion = { result in
            switch result {
            case .success(let answer) where answer.fromCache: tally.answers += 1
            default: tally.failures += 1
            }
        }
        let began = now()
        let deadline = began + seconds
        var index = 0
        var lookups = 0
        while true {
            for _ in 0..<4096 {
                resolver.resolve(names[index], .a, completion: completion)
                index += 1
                if index == names.count { index = 0 }
            }
            lookups += 4096
            if now() >= deadline { break }
        }
        tally.lookups = lookups
        tally.elapsed = now() - began
        done.signal()
    }
}

/// Lookups per second of each loop, all loops running at once and sharing `cache`.
func measure(loops: Int, cache: ResolverCache, names: [Name], seconds: Double) -> [Double] {
    let configuration: ResolverConfiguration
    do {
        configuration = try ResolverConfiguration(serverStrings: ["127.0.0.1"])
    } catch {
        fail("\(error)")
    }
    var threads: [EventLoopThread] = []
    for _ in 0..<loops {
        do {
            threads.append(try EventLoopThread())
        } catch {
            fail("\(error)")
        }
    }
    defer { for thread in threads { thread.stopAndJoin() } }
    let start = DispatchSemaphore(value: 0)
    let done = DispatchSemaphore(value: 0)
    var tallies: [Tally] = []
    for thread in threads {
        let resolver = StubResolver(loop: thread.loop, configuration: configuration, cache: cache)
        let tally = Tally()
        tallies.append(tally)
        hammer(resolver, names: names, seconds: seconds, tally: tally, start: start, done: done)
    }
    for _ in threads { start.signal() }
    for _ in threads { done.wait() }
    for tally in tallies where tally.failures > 0 || tally.answers != tally.lookups {
        fail("\(tally.failures) lookups were not cache hits (of \(tally.lookups))")
    }
    return tallies.map { Double($0.lookups) / $0.elapsed }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

let options = parseOptions()
let (cache, names) = filledCache(names: options.names)
var oneLoop: [Double] = []
var twoLoopsTotal: [Double] = []
var twoLoopsPerLoop: [Double] = []
for _ in 0..<options.runs {
    oneLoop.append(measure(loops: 1, cache: cache, names: names, seconds: options.seconds)[0])
    let perLoop = measure(loops: 2, cache: cache, names: names, seconds: options.seconds)
    twoLoopsTotal.append(perLoop.reduce(0, +))
    twoLoopsPerLoop.append(contentsOf: perLoop)
}
func formatted(_ value: Double) -> String { String(format: "%12.0f", value) }
print("cached lookups/s, StubResolver.resolve (cache hit, DO set), \(options.names) names, median of \(options.runs) runs of \(options.seconds) s")
print("  1 loop                     \(formatted(median(oneLoop)))   runs: \(oneLoop.map { String(format: "%.0f", $0) }.joined(separator: " "))")
print("  2 loops, one shared cache  \(formatted(median(twoLoopsTotal))) total, \(formatted(median(twoLoopsPerLoop))) per loop")
print("  cores on this machine: \(ProcessInfo.processInfo.activeProcessorCount) (shared with other work: figures are noisy)")
