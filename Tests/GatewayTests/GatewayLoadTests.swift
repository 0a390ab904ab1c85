import DANE
import Foundation
@testable import Gateway
import Testing
import TestSupport

/// Many relays at once, and an upstream that dies mid-stream.
@Suite(.serialized) struct GatewayLoadTests {
    /// A connection's own bytes, so a byte delivered to the wrong client is seen.
    private func payload(_ index: Int, size: Int) -> [UInt8] {
        var generator = SplitMix64(seed: UInt64(index) &+ 1)
        return (0..<size).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }

    @Test func thousandConcurrentRelaysCarryEveryByte() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            var service = try testService("tls-echo", .tls, .host("echo.dane.test", port: fixture.echo.port))
            service.maxConnections = 2000
            let running = try RunningGateway([service], dns: fixture.dns)
            let port = running.port("tls-echo")
            let count = 1000
            let size = 8 * 1024
            var clients: [BlockingSocket] = []
            for _ in 0..<count { clients.append(try BlockingSocket(connectingTo: port)) }
            // First half of each payload both ways on every connection: all relays are up.
            for (index, client) in clients.enumerated() { client.send(Array(payload(index, size: size).prefix(size / 2))) }
            var echoed: [[UInt8]] = Array(repeating: [], count: count)
            for (index, client) in clients.enumerated() {
                echoed[index] = receive(client) { $0.count >= size / 2 }
            }
            #expect(running.activeConnections("tls-echo") == count)
            for (index, client) in clients.enumerated() {
                client.send(Array(payload(index, size: size).suffix(size / 2)))
                client.shutdownWrite()
            }
            var intact = 0
            for (index, client) in clients.enumerated() {
                echoed[index] += receive(client)
                if echoed[index] == payload(index, size: size) { intact += 1 }
            }
            #expect(intact == count)
            let reports = try running.collector.wait(for: "tls-echo", count: count, timeout: 120)
            #expect(reports.filter { $0.audit.verdict == .verified }.count == count)
            #expect(reports.allSatisfy { $0.audit.bytesUp == size && $0.audit.bytesDown == size })
        }
    }

    @Test func upstreamKilledMidStreamClosesTheClient() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            let running = try RunningGateway(
                [try testService("tls-victim", .tls, .host("victim.dane.test", port: fixture.victim.port))], dns: fixture.dns)
            let client = try BlockingSocket(connectingTo: running.port("tls-victim"))
            client.send(Array("before the upstream dies\n".utf8))
            try fixture.victim.peer.waitForLine(containing: "before the upstream dies", timeout: 20)
            fixture.victim.peer.kill()
            // The client sees a close, not a hang (BlockingSocket gives up after 10 s).
            #expect(receive(client).isEmpty)
            let report = try running.collector.wait(for: "tls-victim")[0]
            #expect(report.audit.verdict == .error)
            #expect(report.audit.reason == .dane(.upstreamUnreachable))
            #expect(report.detail.hasPrefix("relay ended"), "\(report.detail)")
            #expect(report.audit.bytesUp == "before the upstream dies\n".utf8.count)
        }
    }
}

/// The service's own limits: max-connections and the idle timeout.
@Suite(.serialized) struct GatewayLimitTests {
    @Test func maxConnectionsHoldsTheNextClientUntilOneEnds() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            var service = try testService("tls-max", .tls, .host("echo.dane.test", port: fixture.echo.port))
            service.maxConnections = 2
            let running = try RunningGateway([service], dns: fixture.dns)
            let port = running.port("tls-max")
            let clients = try (0..<3).map { _ in try BlockingSocket(connectingTo: port) }
            for (index, client) in clients.enumerated() { client.send(Array("client \(index)\n".utf8)) }
            for index in 0..<2 {
                #expect(text(receive(clients[index]) { text($0).hasSuffix("\n") }) == "client \(index)\n")
            }
            #expect(running.activeConnections("tls-max") == 2)
            // The third waits in the backlog; the first one's end lets it in.
            clients[0].shutdownWrite()
            #expect(receive(clients[0]).isEmpty)
            #expect(text(receive(clients[2]) { text($0).hasSuffix("\n") }) == "client 2\n")
        }
    }

    @Test func idleRelayIsClosedAndAuditedAsTimeout() async throws {
        try await offThePool {
            let fixture = try GatewayFixture.get()
            var service = try testService("tls-idle", .tls, .host("echo.dane.test", port: fixture.echo.port))
            service.idleTimeout = .seconds(1)
            let running = try RunningGateway([service], dns: fixture.dns)
            let client = try BlockingSocket(connectingTo: running.port("tls-idle"))
            client.send(Array("then silence\n".utf8))
            #expect(text(receive(client)) == "then silence\n")
            let audit = try running.collector.wait(for: "tls-idle")[0].audit
            #expect(audit.verdict == .error)
            #expect(audit.reason == .dane(.timeout))
        }
    }
}

/// The gateway's planning (DNS, DNSSEC) runs on an executor of its own, so a host application
/// that blocks every thread of Swift's shared pool does not stall new connections. (Blocking
/// the test runner's own pool to show it would stall the other suites running beside this one.)
@Suite struct GatewayPlanningExecutorTests {
    @Test func planningTasksRunOnTheExecutorsThread() async throws {
        let executor = try PlanningExecutor()
        let onExecutor = await Task(executorPreference: executor) { executor.isCurrent }.value
        #expect(onExecutor)
        let onPool = await Task { executor.isCurrent }.value
        #expect(!onPool)
    }
}
