import Foundation
import Testing
import TestSupport

/// `max-connections` across loops, and running out of file descriptors, on the real binary.
@Suite(.serialized) struct GatewayLimitsOnLoopsTests {
    /// `max-connections = 2` over two loops: a third client waits in the backlog (its bytes
    /// are not relayed) until one of the two ends, then it is served.
    @Test func maxConnectionsHoldsAcrossLoops() throws {
        let fixture = try GatewayFixture.get()
        let gateway = try DanegateProcess(
            services: GatewayOperationsTests.echoService("limited", fixture, extra: "max-connections = 2"),
            global: "workers = 2", dns: fixture.dns)
        defer { gateway.process.kill() }
        let port = gateway.port("limited")
        // Slow transfers (64 MiB at 64 KiB a 50 ms) that stay open until killed.
        let first = try GatewayOperationsTests.transfer(port, bytes: 64 << 20, paceMilliseconds: 50, in: gateway)
        defer { first.kill() }
        let second = try GatewayOperationsTests.transfer(port, bytes: 64 << 20, paceMilliseconds: 50, in: gateway)
        defer { second.kill() }
        _ = try first.waitForLine(containing: "STARTED", timeout: 60)
        _ = try second.waitForLine(containing: "STARTED", timeout: 60)
        let third = try GatewayOperationsTests.transfer(port, bytes: 1 << 20, in: gateway)
        defer { third.kill() }
        // Held in the backlog: nothing comes back while both places are taken.
        #expect(throws: (any Error).self) { _ = try third.waitForLine(containing: "STARTED", timeout: 2) }
        first.kill()
        _ = try third.waitForLine(containing: "RECEIVED", timeout: 60)
        #expect(third.stdoutLines.contains("RECEIVED \(1 << 20) INTACT"))
    }

    /// With `ulimit -n` below what the clients need, accept(2) fails with EMFILE: the gateway
    /// backs off instead of spinning, stays up, and serves again once the clients are gone.
    @Test func runningOutOfDescriptorsIsSurvivedWithoutASpin() throws {
        let fixture = try GatewayFixture.get()
        let gateway = try DanegateProcess(
            services: GatewayOperationsTests.echoService("starved", fixture), global: "workers = 1",
            dns: fixture.dns, openFiles: 64)
        defer { gateway.process.kill() }
        let port = gateway.port("starved")
        // Each relayed client needs two descriptors (client and upstream): 80 clients cannot fit.
        var clients: [BlockingSocket] = []
        for _ in 0..<80 { clients.append(try BlockingSocket(connectingTo: port)) }
        // Wait until the gateway has taken what it can (its descriptor count stops at the limit).
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, Self.openDescriptors(gateway.process.pid) < 60 { usleep(20_000) }
        let before = gateway.cpuTicks()
        let start = Date()
        while Date().timeIntervalSince(start) < 2 { usleep(100_000) }
        let used = gateway.cpuTicks() - before
        // A loop spinning on EMFILE burns the whole 2 s (about 200 ticks); backing off, a few.
        #expect(used < 60, "danegate used \(used) ticks in 2 s while out of descriptors")
        #expect(gateway.process.isRunning, "\(gateway.process.transcript)")
        clients.removeAll()
        let client = try GatewayOperationsTests.transfer(port, bytes: 1 << 20, in: gateway)
        _ = try client.waitForLine(containing: "RECEIVED", timeout: 60)
        #expect(client.stdoutLines.contains("RECEIVED \(1 << 20) INTACT"))
    }

    static func openDescriptors(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
    }
}
