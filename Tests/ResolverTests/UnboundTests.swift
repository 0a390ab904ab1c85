import DNSWire
import EventLoop
import Foundation
import Testing
import TestSupport
@testable import Resolver

/// The resolver against a real `unbound` on loopback, answering from a local zone (no network).
@Suite("Against unbound", .timeLimit(.minutes(3)))
struct UnboundTests {
    /// Starts unbound on 127.0.0.1 with `example.test.` as a static local zone.
    static func startUnbound(_ directory: TemporaryDirectory) throws -> (PeerProcess, SocketAddress) {
        let unbound = try requireProgram("unbound", package: "unbound")
        let port = try freeLoopbackPort()
        let config = """
            server:
                interface: 127.0.0.1
                port: \(port)
                do-ip6: no
                do-daemonize: no
                username: ""
                chroot: ""
                directory: "\(directory.path)"
                pidfile: ""
                use-syslog: no
                logfile: ""
                verbosity: 1
                module-config: "iterator"
                access-control: 127.0.0.0/8 allow
                local-zone: "example.test." static
                local-data: "example.test. 3600 IN SOA ns.example.test. admin.example.test. 1 3600 600 86400 120"
                local-data: "www.example.test. 300 IN A 192.0.2.10"
                local-data: "www.example.test. 300 IN AAAA 2001:db8::10"
                local-data: "example.test. 300 IN MX 10 mail.example.test."
                local-data: "example.test. 300 IN MX 20 backup.example.test."
                local-data: 'txt.example.test. 300 IN TXT "v=spf1 -all" "second string"'
            """
        let configPath = try directory.write("unbound.conf", config)
        let peer = try PeerProcess(unbound, ["-d", "-c", configPath], package: "unbound")
        try peer.waitForLine(containing: "start of service", timeout: 20)
        return (peer, try SocketAddress(host: "127.0.0.1", port: port))
    }

    @Test("A, AAAA, MX, TXT and NXDOMAIN from unbound's local zone")
    func localZone() async throws {
        let directory = try TemporaryDirectory(prefix: "danegate-h8-unbound")
        let (peer, address) = try Self.startUnbound(directory)
        defer { peer.kill() }
        let resolver = try AsyncResolver(configuration: testConfiguration([address], perServerTimeout: .seconds(2), attempts: 2))
        defer { resolver.shutdown() }

        let a = try await resolver.resolve("www.example.test.", .a)
        #expect(a.rcode == .noError)
        #expect(a.records(ofType: .a).compactMap { ($0.rdata as? A)?.bytes } == [[192, 0, 2, 10]])
        #expect(a.server == address)

        let aaaa = try await resolver.resolve("WWW.EXAMPLE.test.", .aaaa)
        #expect(aaaa.records(ofType: .aaaa).map(\.rdata.presentation) == ["2001:db8::10"])

        let mx = try await resolver.resolve("example.test.", .mx)
        let exchanges = mx.records(ofType: .mx).compactMap { $0.rdata as? MX }.sorted { $0.preference < $1.preference }
        #expect(exchanges.map(\.preference) == [10, 20])
        #expect(exchanges.map(\.exchange) == ["mail.example.test.", "backup.example.test."])

        let txt = try await resolver.resolve("txt.example.test.", .txt)
        let strings = txt.records(ofType: .txt).compactMap { $0.rdata as? TXT }.first?.strings
        #expect(strings == [Array("v=spf1 -all".utf8), Array("second string".utf8)])

        let nx = try await resolver.resolve("missing.example.test.", .a)
        #expect(nx.isNameError)
        #expect(nx.message.authority.contains { $0.type == .soa })
        // RFC 2308: min(SOA TTL 3600, MINIMUM 120).
        #expect(nx.remainingTTL == 120)

        let noData = try await resolver.resolve("www.example.test.", .mx)
        #expect(noData.isNoData)

        let again = try await resolver.resolve("www.example.test.", .a)
        #expect(again.fromCache)
        let statistics = await resolver.statistics()
        #expect(statistics.droppedTotal == 0)
        #expect(statistics.transactions == 6)
    }
}
