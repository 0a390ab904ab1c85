import DANE
import DNSWire
import EventLoop
import Foundation
import Gateway
import Testing
import TestSupport

/// `GatewayServer` in process: reload results and what a failed reload leaves behind.
@Suite struct GatewayServerReloadTests {
    /// Never asked: these tests only bind and reload.
    private struct NoLookups: SecureLookupSource {
        var mode: String { "none" }
        func lookup(_ name: Name, _ type: RRType) async -> SecureLookup { .failed("no DNS in this test", timedOut: false) }
    }

    private static func service(_ name: String, port: UInt16) throws -> ServiceConfiguration {
        ServiceConfiguration(
            name: name, accept: try SocketAddress(parsing: "127.0.0.1:\(port)"),
            connect: .host("a.example", port: 443), serviceProtocol: .tls)
    }

    private static func server(_ services: [ServiceConfiguration]) throws -> GatewayServer {
        let runtime = try MultiLoopServer(workers: 2)
        return GatewayServer(
            configuration: GatewayConfiguration(services: services), runtime: runtime, source: NoLookups(),
            contexts: try UpstreamTLSContexts(), auditSink: NoRecords())
    }

    private struct NoRecords: AuditSink {
        func record(_ record: AuditRecord, policy: DANEPolicy) {}
    }

    @Test func reloadsAreCountedByResult() throws {
        let server = try Self.server([try Self.service("one", port: 0)])
        try server.start()
        let folder = try TemporaryDirectory(prefix: "danegate-reload")
        let broken = try folder.write("broken.conf", "[one]\naccept = 127.0.0.1:0\nnonsense = 1\n")
        guard case .failure(let failure) = server.reload(fromFile: broken) else {
            Issue.record("a broken file reloaded")
            return
        }
        #expect(failure.description.contains("nonsense"))
        #expect(server.configuration.services.map(\.name) == ["one"])
        let good = try folder.write(
            "good.conf", "[two]\naccept = 127.0.0.1:0\nconnect = b.example:443\nprotocol = tls\n")
        guard case .success(let changes) = server.reload(fromFile: good) else {
            Issue.record("a good file failed to reload")
            return
        }
        #expect(changes.added == ["two"])
        #expect(changes.removed == ["one"])
        #expect(server.reloadCounts.success == 1)
        #expect(server.reloadCounts.failure == 1)
        server.runtime.beginStop()
        try server.runtime.run(ServerLifecycle(drainTimeout: .seconds(1), stopAccepting: {}, closeRemaining: {}, notifier: nil))
    }

    /// A new service whose port is taken fails the reload as a whole: the services already
    /// bound for it are closed again and the old configuration keeps serving, unchanged.
    @Test func unbindablePortKeepsTheOldConfiguration() throws {
        let server = try Self.server([try Self.service("kept", port: 0)])
        try server.start()
        let keptAddress = try #require(server.listeningAddresses.first?.address)
        // A port held by someone else (not SO_REUSEPORT): binding it must fail.
        let squatter = try BlockingListener()
        let freePort = try freeLoopbackPort()
        let new = GatewayConfiguration(services: [
            try Self.service("kept", port: keptAddress.port), try Self.service("fresh", port: freePort),
            try Self.service("blocked", port: squatter.port),
        ])
        #expect(throws: EventLoopError.self) { _ = try server.reload(to: new) }
        #expect(server.configuration.services.map(\.name) == ["kept"])
        #expect(server.listeningAddresses.map(\.service) == ["kept"])
        // The service bound before the failure was closed again (on its loops, a moment
        // later): its port becomes free.
        var probe: BlockingListener?
        let deadline = Date().addingTimeInterval(5)
        while probe == nil, Date() < deadline {
            probe = try? BlockingListener(port: freePort)
            if probe == nil { usleep(10_000) }
        }
        #expect(probe != nil, "port \(freePort) of the failed reload stayed bound")
        withExtendedLifetime((probe, squatter)) {}
        server.runtime.beginStop()
        try server.runtime.run(ServerLifecycle(drainTimeout: .seconds(1), stopAccepting: {}, closeRemaining: {}, notifier: nil))
    }
}

/// A plain listening socket on 127.0.0.1 without SO_REUSEPORT, closed on deinit.
private final class BlockingListener {
    let descriptor: Int32
    let port: UInt16

    init(port requested: UInt16 = 0) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = requested.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else {
            close(descriptor)
            throw TestSupportError(.launchFailed, "cannot bind 127.0.0.1:\(requested): errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(descriptor) }
}
