import Foundation
import Testing
import TestSupport

/// Issue 13's operations on the real `danegate --config` binary: reload (SIGHUP), drain
/// (SIGTERM), systemd notify, workers and the shared TLSA cache, signals sent to its PID.
@Suite(.serialized) struct GatewayOperationsTests {
    static func echoService(_ name: String, _ fixture: GatewayFixture, extra: String = "") -> String {
        """
        [\(name)]
        accept = 127.0.0.1:0
        connect = echo.dane.test:\(fixture.echo.port)
        protocol = tls
        \(extra)
        """
    }

    static func transfer(_ port: UInt16, bytes: Int, paceMilliseconds: Int = 0, in gateway: DanegateProcess) throws
        -> PeerProcess
    {
        let script = try gateway.scratch.write("echo-transfer.py", echoTransferScript)
        return try PeerProcess("python3", [script, "127.0.0.1", "\(port)", "\(bytes)", "\(paceMilliseconds)"])
    }

    /// A reload changes the service's target while 100 MiB go through it: the transfer ends
    /// intact on the old target, and the next client is verified against the new one.
    @Test func reloadChangesTargetWhileATransferRuns() throws {
        let fixture = try GatewayFixture.get()
        let gateway = try DanegateProcess(services: Self.echoService("relay", fixture), dns: fixture.dns)
        defer { gateway.process.kill() }
        let size = 100 * 1024 * 1024
        // Paced (2 ms a 64 KiB chunk, at least 3 s) so that it is still running at the reload.
        let client = try Self.transfer(gateway.port("relay"), bytes: size, paceMilliseconds: 2, in: gateway)
        defer { client.kill() }
        _ = try client.waitForLine(containing: "STARTED", timeout: 60)
        let services = Self.echoService("relay", fixture).replacingOccurrences(
            of: "connect = echo.dane.test", with: "connect = echo2.dane.test")
        try DanegateProcess.write(
            gateway.configPath,
            DanegateProcess.configuration(global: "", services: services, dns: fixture.dns, audit: gateway.auditPath))
        gateway.signal(SIGHUP)
        _ = try gateway.process.waitForLine(containing: "reloaded", timeout: 20)
        #expect(!client.stdoutLines.contains { $0.hasPrefix("RECEIVED") }, "the transfer ended before the reload")
        // A new client now goes to echo2.dane.test (the same echo server under another name).
        let probe = try Self.transfer(gateway.port("relay"), bytes: 4096, in: gateway)
        _ = try probe.waitForLine(containing: "RECEIVED", timeout: 60)
        #expect(probe.stdoutLines.contains("RECEIVED 4096 INTACT"))
        let first = try gateway.waitForAudit(count: 1)
        #expect((first[0]["target"] as? String)?.hasPrefix("echo2.dane.test:") == true)
        #expect(first[0]["verdict"] as? String == "verified")
        _ = try client.waitForLine(containing: "RECEIVED", timeout: 300)
        #expect(client.stdoutLines.contains("RECEIVED \(size) INTACT"))
        let records = try gateway.waitForAudit(count: 2)
        let old = records.first { ($0["target"] as? String)?.hasPrefix("echo.dane.test:") == true }
        #expect(old?["verdict"] as? String == "verified")
        #expect(old?["bytesUp"] as? Int == size)
        #expect(old?["bytesDown"] as? Int == size)
    }

    /// A reload that removes one service and adds another: the removed port refuses clients,
    /// the added one (logged with its address) serves them.
    @Test func reloadAddsAndRemovesServices() throws {
        let fixture = try GatewayFixture.get()
        let gateway = try DanegateProcess(services: Self.echoService("leaving", fixture), dns: fixture.dns)
        defer { gateway.process.kill() }
        try DanegateProcess.write(
            gateway.configPath,
            DanegateProcess.configuration(
                global: "", services: Self.echoService("arriving", fixture), dns: fixture.dns, audit: gateway.auditPath))
        gateway.signal(SIGHUP)
        let line = try gateway.process.waitForLine(containing: "reloaded", timeout: 20)
        #expect(line.contains("added arriving; removed leaving"))
        let groups = try gateway.process.waitForMatch(#"service arriving listening on 127\.0\.0\.1:(\d+)"#, timeout: 20)
        let port = try #require(UInt16(groups[1]))
        let client = try Self.transfer(port, bytes: 1 << 20, in: gateway)
        _ = try client.waitForLine(containing: "RECEIVED", timeout: 60)
        #expect(client.stdoutLines.contains("RECEIVED \(1 << 20) INTACT"))
        #expect((try? BlockingSocket(connectingTo: gateway.port("leaving"))) == nil)
    }

    /// A configuration that does not load on SIGHUP is reported and the old one keeps serving.
    @Test func brokenConfigurationOnReloadKeepsTheOldOne() throws {
        let fixture = try GatewayFixture.get()
        let gateway = try DanegateProcess(services: Self.echoService("kept", fixture), dns: fixture.dns)
        defer { gateway.process.kill() }
        try DanegateProcess.write(gateway.configPath, "[kept]\naccept = 127.0.0.1:0\nbogus-key = 1\n")
        gateway.signal(SIGHUP)
        let line = try gateway.process.waitForLine(containing: "reload of", timeout: 20)
        #expect(line.contains("failed, still serving the previous configuration"))
        #expect(line.contains("bogus-key"))
        let client = try Self.transfer(gateway.port("kept"), bytes: 1 << 20, in: gateway)
        _ = try client.waitForLine(containing: "RECEIVED", timeout: 60)
        #expect(client.stdoutLines.contains("RECEIVED \(1 << 20) INTACT"))
        #expect(gateway.process.isRunning)
    }

    /// SIGTERM during a transfer: no new client is accepted, the transfer finishes within
    /// drain-timeout, and the process exits 0; systemd hears READY, then STOPPING.
    @Test func sigtermDrainsATransferAndRefusesNewClients() throws {
        let fixture = try GatewayFixture.get()
        let folder = try TemporaryDirectory(prefix: "danegate-notify")
        let notify = try NotifySocket(in: folder)
        let gateway = try DanegateProcess(
            services: Self.echoService("drain", fixture), global: "drain-timeout = 60s\nworkers = 2\nmetrics = 127.0.0.1:0",
            dns: fixture.dns, notifySocket: notify.path)
        defer { gateway.process.kill() }
        let ready = try #require(notify.receiveAssignments())
        #expect(ready["READY"] == "1")
        let metricsPort = try #require(UInt16(try gateway.process.waitForMatch(#"METRICS 127\.0\.0\.1:(\d+)"#)[1]))
        func health() throws -> String {
            let socket = try BlockingSocket(connectingTo: metricsPort)
            socket.send(Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
            return text(receive(socket))
        }
        #expect(try health().hasPrefix("HTTP/1.1 200 "))
        let size = 16 * 1024 * 1024
        let client = try Self.transfer(gateway.port("drain"), bytes: size, paceMilliseconds: 10, in: gateway)
        defer { client.kill() }
        _ = try client.waitForLine(containing: "STARTED", timeout: 60)
        gateway.signal(SIGTERM)
        let stopping = try #require(notify.receiveAssignments())
        #expect(stopping["STOPPING"] == "1")
        #expect(stopping["STATUS"]?.contains("1 connection") == true)
        // The listeners close right after STOPPING=1: poll until a connect is refused.
        var refused = false
        let deadline = Date().addingTimeInterval(5)
        while !refused, Date() < deadline {
            refused = (try? BlockingSocket(connectingTo: gateway.port("drain"))) == nil
            if !refused { usleep(20_000) }
        }
        #expect(refused)
        // While the drain lets the transfer finish, /healthz says so (issue 13).
        #expect(try health().hasPrefix("HTTP/1.1 503 "))
        _ = try client.waitForLine(containing: "RECEIVED", timeout: 120)
        #expect(client.stdoutLines.contains("RECEIVED \(size) INTACT"))
        #expect(try gateway.process.waitForExit(timeout: 30) == 0)
        let records = gateway.auditRecords()
        // The transfer's record, whole. A probe connect can slip in on the second loop before
        // its listener closed (the two loops stop one after the other); it relayed nothing.
        let transfers = records.filter { ($0["bytesUp"] as? Int) == size }
        #expect(transfers.count == 1, "\(records)")
        #expect(transfers.first?["reason"] is NSNull)
        #expect(records.allSatisfy { ($0["bytesUp"] as? Int) == size || ($0["bytesUp"] as? Int) == 0 }, "\(records)")
    }

    /// A transfer longer than drain-timeout is cut at the deadline; its audit record keeps the
    /// verdict and the bytes relayed, and says the drain cut it; a log line says so too.
    @Test func transferLongerThanTheDrainIsCutAndAudited() throws {
        let fixture = try GatewayFixture.get()
        let gateway = try DanegateProcess(
            services: Self.echoService("cut", fixture), global: "drain-timeout = 1s", dns: fixture.dns)
        defer { gateway.process.kill() }
        let client = try Self.transfer(gateway.port("cut"), bytes: 64 * 1024 * 1024, paceMilliseconds: 50, in: gateway)
        defer { client.kill() }
        _ = try client.waitForLine(containing: "STARTED", timeout: 60)
        let started = Date()
        gateway.signal(SIGTERM)
        #expect(try gateway.process.waitForExit(timeout: 30) == 0)
        #expect(Date().timeIntervalSince(started) < 15)
        let records = gateway.auditRecords()
        #expect(records.count == 1)
        #expect(records.first?["verdict"] as? String == "verified")
        #expect(records.first?["reason"] as? String == "drain-deadline")
        #expect((records.first?["bytesUp"] as? Int ?? 0) > 0)
        #expect(gateway.process.lines().contains { $0.contains("cut by the drain") })
        _ = try client.waitForLine(containing: "RECEIVED", timeout: 30)
        #expect(client.stdoutLines.contains { $0.hasSuffix("BROKEN") })
    }

    /// SIGHUP is announced as RELOADING=1 with MONOTONIC_USEC, then READY=1, in that order.
    @Test func reloadIsAnnouncedToSystemdInOrder() throws {
        let fixture = try GatewayFixture.get()
        let folder = try TemporaryDirectory(prefix: "danegate-notify")
        let notify = try NotifySocket(in: folder)
        let gateway = try DanegateProcess(
            services: Self.echoService("announced", fixture), dns: fixture.dns, notifySocket: notify.path)
        defer { gateway.process.kill() }
        #expect(try #require(notify.receiveAssignments())["READY"] == "1")
        gateway.signal(SIGHUP)
        let reloading = try #require(notify.receiveAssignments())
        #expect(reloading["RELOADING"] == "1")
        #expect(UInt64(reloading["MONOTONIC_USEC"] ?? "") != nil)
        let ready = try #require(notify.receiveAssignments())
        #expect(ready["READY"] == "1")
        #expect(ready["STATUS"]?.hasPrefix("serving") == true)
        gateway.signal(SIGTERM)
        #expect(try #require(notify.receiveAssignments())["STOPPING"] == "1")
        #expect(try gateway.process.waitForExit(timeout: 30) == 0)
    }

    /// `workers = 2`: connections land on both loops (the connection IDs name the loop), and
    /// the one TLSA cache answers the lookups of both: the misses are the first client's.
    @Test func twoWorkersShareTheLoadAndTheCache() throws {
        let fixture = try GatewayFixture.get()
        let gateway = try DanegateProcess(
            services: Self.echoService("spread", fixture), global: "workers = 2", dns: fixture.dns, validating: true)
        defer { gateway.process.kill() }
        var clients = 0
        var loops = Set<String>()
        while loops.count < 2, clients < 64 {
            clients += 1
            let client = try Self.transfer(gateway.port("spread"), bytes: 1024, in: gateway)
            _ = try client.waitForLine(containing: "RECEIVED", timeout: 60)
            let records = try gateway.waitForAudit(count: clients)
            loops = Set(records.compactMap { ($0["id"] as? String)?.split(separator: "-").dropLast().last.map(String.init) })
        }
        #expect(loops.count == 2)
        gateway.signal(SIGTERM)
        let summary = try gateway.process.waitForMatch(#"TLSA cache: (\d+) hits, (\d+) misses"#, timeout: 30)
        let hits = Int(summary[1]) ?? 0
        let misses = Int(summary[2]) ?? 0
        // Validating in process, only the first client's lookups (TLSA, A, AAAA) go to DNS;
        // every later client, on either loop, is answered from the one shared cache.
        #expect(clients >= 2)
        #expect(misses <= 3)
        #expect(hits >= (clients - 1) * 3)
    }
}
