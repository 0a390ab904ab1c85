import Authority
import DNSWire
import EventLoop
import Foundation
import TestSupport
import Testing

/// danezone on several event loops (SO_REUSEPORT): every query over UDP and TCP is answered,
/// each loop has its own sockets on the one port, and a reload reaches every loop.
@Suite(.serialized) struct MultiLoopServerTests {
    func query(_ name: String, _ type: RRType = .a, id: UInt16) throws -> [UInt8] {
        try Message.query(id: id, name: try Name(presentation: name), type: type, recursionDesired: false, edns: EDNS())
            .encode()
    }

    /// Asks `name` from `clients` fresh UDP sockets (each a new source port, so the kernel's
    /// hash spreads them over the loops) and `connections` TCP connections with `perConnection`
    /// queries each; returns every response's (rcode, answer count).
    func askMany(
        _ name: String, host: String, port: Int, clients: Int, connections: Int, perConnection: Int
    ) throws -> [(RCode, Int)] {
        var outcomes: [(RCode, Int)] = []
        for index in 0..<clients {
            let id = UInt16(index + 1)
            let reply = try #require(try udpExchange(try query(name, id: id), host: host, port: port))
            let message = try Message(bytes: reply)
            #expect(message.header.id == id)
            outcomes.append((message.rcode, message.answers.count))
        }
        for connection in 0..<connections {
            let tcp = try RawSocket(udp: false)
            try tcp.connect(host, port)
            var bytes: [UInt8] = []
            for index in 0..<perConnection {
                let message = try query(name, id: UInt16(connection * perConnection + index + 1))
                bytes += [UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message
            }
            tcp.send(bytes)
            for _ in 0..<perConnection {
                let message = try Message(bytes: try #require(tcp.receiveFramed()))
                outcomes.append((message.rcode, message.answers.count))
            }
        }
        return outcomes
    }

    @Test func twoThreadsAnswerEveryQueryAndAllSeeAReload() throws {
        let directory = try TemporaryDirectory(prefix: "danezone-threads")
        let zone = try directory.write("example.zone", exampleZoneText)
        let server = try DanezoneServer(
            zones: [zone + ":example."], address: "127.53.6.1", extraArguments: ["--threads", "2"])
        try server.process.waitForLine(containing: "answering on 2 threads", in: .stderr)

        // One UDP socket and one TCP listener per loop, all on the one port.
        #expect(try boundSockets(table: "udp", host: server.address, port: server.port) == 2)
        #expect(try boundSockets(table: "tcp", host: server.address, port: server.port, listeningOnly: true) == 2)

        let before = try askMany("www.example.", host: server.address, port: server.port, clients: 60, connections: 12, perConnection: 5)
        #expect(before.count == 120)
        #expect(before.allSatisfy { $0.0 == .noError && $0.1 == 1 })
        let missing = try askMany("new.example.", host: server.address, port: server.port, clients: 4, connections: 2, perConnection: 2)
        #expect(missing.allSatisfy { $0.0 == .nxDomain })

        // After SIGHUP every loop answers from the new zone: the log line comes once they all do.
        _ = try directory.write(
            "example.zone", exampleZoneText.replacingOccurrences(of: " 1 7200", with: " 2 7200") + "new A 192.0.2.200\n")
        server.signal(SIGHUP)
        try server.process.waitForLine(containing: "serial 2", in: .stderr)
        let after = try askMany("new.example.", host: server.address, port: server.port, clients: 60, connections: 12, perConnection: 5)
        #expect(after.count == 120)
        #expect(after.allSatisfy { $0.0 == .noError && $0.1 == 1 })

        server.signal(SIGTERM)
        #expect(try server.process.waitForExit(timeout: 10) == 0)
    }

    /// On an address of its own (127.0.0.62), so no other test's SO_REUSEPORT socket can share
    /// the port and take its queries.
    @Test func aGroupOfLoopsInProcessSharesThePortAndTakesANewResponder() throws {
        let runtime = try MultiLoopServer(workers: 2)
        let first = QueryResponder(answerer: QueryAnswerer(store: try ZoneStore(zones: [try makeZone()])))
        let group = AuthoritativeServerGroup(runtime: runtime, responder: first)
        let bound = try group.listen(on: try SocketAddress(parsing: "127.0.0.62:0"))
        #expect(bound.udp.port != 0)
        #expect(bound.tcp.port == bound.udp.port)
        // One socket per loop, and no stranger's: port 0 is picked exclusively before the
        // SO_REUSEPORT sockets bind (ExclusivePortPicker).
        #expect(try boundSockets(table: "udp", host: "127.0.0.62", port: Int(bound.udp.port)) == 2)
        let listening = try boundSockets(table: "tcp", host: "127.0.0.62", port: Int(bound.tcp.port), listeningOnly: true)
        let lines = try socketLines(table: "tcp", port: Int(bound.tcp.port))
        #expect(listening == 2, "\(listening) listening sockets on 127.0.0.1:\(bound.tcp.port): \(lines)")
        let port = Int(bound.udp.port)

        let before = try askMany("new.example.", host: "127.0.0.62", port: port, clients: 30, connections: 6, perConnection: 3)
        #expect(before.allSatisfy { $0.0 == .nxDomain })

        let changed = try makeZone(exampleZoneText + "new A 192.0.2.200\n")
        group.replaceResponder(QueryResponder(answerer: QueryAnswerer(store: try ZoneStore(zones: [changed]))))
        let after = try askMany("new.example.", host: "127.0.0.62", port: port, clients: 30, connections: 6, perConnection: 3)
        #expect(after.count == 48)
        #expect(after.allSatisfy { $0.0 == .noError && $0.1 == 1 })
        group.close()
    }
}

/// The whole text of /proc/net/`table`. Read to end of file: a procfs file reports size 0,
/// and a single read returns only the first page of a table that many sockets make long.
func procNetTable(_ table: String) throws -> String {
    guard let handle = FileHandle(forReadingAtPath: "/proc/net/\(table)") else {
        throw TestSupportError(.notFound, "cannot open /proc/net/\(table)")
    }
    defer { try? handle.close() }
    var data = Data()
    while let chunk = try handle.read(upToCount: 65536), !chunk.isEmpty { data.append(chunk) }
    return String(decoding: data, as: UTF8.self)
}

/// The /proc/net lines of sockets whose local port is `port` (for failure messages).
func socketLines(table: String, port: Int) throws -> [String] {
    let text = try procNetTable(table)
    let suffix = String(format: ":%04X", port)
    return text.split(separator: "\n").dropFirst().map(String.init).filter { line in
        let fields = line.split(separator: " ")
        return fields.count > 3 && fields[1].hasSuffix(suffix)
    }
}

/// How many IPv4 sockets in /proc/net/udp or /proc/net/tcp are bound to `host`:`port` (for
/// TCP, optionally only those in LISTEN, state 0A). Linux only: the count of sockets sharing an
/// address is what shows that each loop bound its own.
func boundSockets(table: String, host: String, port: Int, listeningOnly: Bool = false) throws -> Int {
    let text = try procNetTable(table)
    // The kernel prints the address as one 32-bit word in host order (little-endian here).
    let octets = host.split(separator: ".").compactMap { UInt8($0) }
    let local = octets.reversed().map { String(format: "%02X", $0) }.joined() + String(format: ":%04X", port)
    return text.split(separator: "\n").dropFirst().filter { line in
        let fields = line.split(separator: " ")
        guard fields.count > 3, fields[1] == local else { return false }
        return !listeningOnly || fields[3] == "0A"
    }.count
}
