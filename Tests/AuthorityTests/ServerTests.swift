import DNSWire
import Foundation
import TestSupport
import Testing

/// danezone as a process: bad queries get the right rcode or a closed connection and the
/// server keeps answering; TCP framing; SIGHUP reloads (issue 4).
@Suite(.serialized) struct ServerTests {
    func query(_ name: String, _ type: RRType, id: UInt16 = 0x4242, edns: EDNS? = EDNS()) throws -> [UInt8] {
        try Message.query(id: id, name: try Name(presentation: name), type: type, recursionDesired: false, edns: edns).encode()
    }

    func assertStillAnswers(_ server: DanezoneServer) throws {
        let reply = try #require(try udpExchange(try query("www.example.", .a), host: server.address, port: server.port))
        let message = try Message(bytes: reply)
        #expect(message.rcode == .noError)
        #expect(message.answers.count == 1)
    }

    @Test func badQueriesGetTheRightRcodeAndTheServerGoesOn() throws {
        let directory = try TemporaryDirectory(prefix: "danezone-bad")
        let zone = try directory.write("example.zone", exampleZoneText)
        let server = try DanezoneServer(zones: [zone + ":example."], address: "127.53.5.1")
        let host = server.address
        let port = server.port

        // Garbage: no answer when there is no header; FORMERR when the header is readable.
        #expect(try udpExchange([0xde, 0xad], host: host, port: port, timeout: 0.5) == nil)
        var garbage: [UInt8] = [0x12, 0x34, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0xC0, 0xFF]
        let formErr = try #require(try udpExchange(garbage, host: host, port: port))
        #expect(try Message(bytes: formErr).rcode == .formErr)
        #expect(try Message(bytes: formErr).header.id == 0x1234)
        garbage = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        _ = try udpExchange(garbage, host: host, port: port, timeout: 0.5)

        // QDCOUNT 2 → FORMERR.
        var two = try Message(bytes: try query("www.example.", .a))
        two.questions.append(two.questions[0])
        #expect(try Message(bytes: try #require(try udpExchange(try two.encode(), host: host, port: port))).rcode == .formErr)

        // Unknown class → REFUSED; AXFR → REFUSED; outside our zones → REFUSED.
        var chaos = try Message(bytes: try query("www.example.", .a))
        chaos.questions[0].rrClass = RRClass(42)
        #expect(try Message(bytes: try #require(try udpExchange(try chaos.encode(), host: host, port: port))).rcode == .refused)
        #expect(try Message(bytes: try #require(try udpExchange(try query("example.", .axfr), host: host, port: port))).rcode == .refused)
        #expect(try Message(bytes: try #require(try udpExchange(try query("example.org.", .a), host: host, port: port))).rcode == .refused)

        // AXFR over TCP is refused as well, with a framed answer.
        let tcp = try RawSocket(udp: false)
        try tcp.connect(host, port)
        let axfr = try query("example.", .axfr)
        tcp.send([UInt8(axfr.count >> 8), UInt8(axfr.count & 0xFF)] + axfr)
        #expect(try Message(bytes: try #require(tcp.receiveFramed())).rcode == .refused)

        // A huge length prefix closes the connection.
        let huge = try RawSocket(udp: false)
        try huge.connect(host, port)
        huge.send([0xFF, 0xFF, 0x00, 0x01])
        #expect(huge.waitForClose())

        // A truncated header over TCP (length 5) closes it too.
        let short = try RawSocket(udp: false)
        try short.connect(host, port)
        short.send([0x00, 0x05, 1, 2, 3, 4, 5])
        #expect(short.waitForClose())

        try assertStillAnswers(server)
        #expect(server.process.isRunning)
    }

    @Test func severalQueriesOnOneTCPConnection() throws {
        let directory = try TemporaryDirectory(prefix: "danezone-tcp")
        let zone = try directory.write("example.zone", exampleZoneText)
        let server = try DanezoneServer(zones: [zone + ":example."], address: "127.53.5.2")
        let tcp = try RawSocket(udp: false)
        try tcp.connect(server.address, server.port)
        // Three queries in one write, the last split across two writes.
        var bytes: [UInt8] = []
        for (index, name) in ["www.example.", "mail.example.", "nothing.example."].enumerated() {
            let message = try query(name, .a, id: UInt16(index + 1))
            bytes += [UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message
        }
        tcp.send(Array(bytes.dropLast(5)))
        tcp.send(Array(bytes.suffix(5)))
        var rcodes: [UInt16: RCode] = [:]
        for _ in 0..<3 {
            let message = try Message(bytes: try #require(tcp.receiveFramed()))
            rcodes[message.header.id] = message.rcode
        }
        #expect(rcodes == [1: .noError, 2: .noError, 3: .nxDomain])
        // dig over TCP sees the same.
        let reply = try Dig.query(server.address, port: server.port, "alias2.example.", "A", tcp: true)
        #expect(reply.answer.count == 3)
    }

    @Test func idleConnectionsCloseAndTheSurplusWaitsInTheBacklog() throws {
        let directory = try TemporaryDirectory(prefix: "danezone-limits")
        let zone = try directory.write("example.zone", exampleZoneText)
        let server = try DanezoneServer(
            zones: [zone + ":example."], address: "127.53.5.4",
            extraArguments: ["--tcp-idle-timeout", "0.3", "--max-tcp-connections", "2"])
        let first = try RawSocket(udp: false)
        try first.connect(server.address, server.port)
        let second = try RawSocket(udp: false)
        try second.connect(server.address, server.port)
        // Both are counted before the third arrives: each gets an answer first.
        for socket in [first, second] {
            let message = try query("www.example.", .a)
            socket.send([UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message)
            #expect(socket.receiveFramed() != nil)
        }
        // The third waits in the backlog (the budget is taken before accept) and is answered
        // once an idle connection is closed after the timeout.
        let third = try RawSocket(udp: false)
        try third.connect(server.address, server.port)
        let message = try query("www.example.", .a)
        third.send([UInt8(message.count >> 8), UInt8(message.count & 0xFF)] + message)
        #expect(first.waitForClose(timeout: 5))
        #expect(second.waitForClose(timeout: 5))
        #expect(third.receiveFramed(timeout: 5) != nil)
        #expect(third.waitForClose(timeout: 5))
        try assertStillAnswers(server)
    }

    @Test func systemdHearsReadyReloadingAndStoppingInOrder() throws {
        let directory = try TemporaryDirectory(prefix: "danezone-notify")
        let zone = try directory.write("example.zone", exampleZoneText)
        let notify = try NotifySocket(in: directory)
        let server = try DanezoneServer(
            zones: [zone + ":example."], address: "127.53.5.6", environment: ["NOTIFY_SOCKET": notify.path])
        #expect(notify.receiveAssignments()?["READY"] == "1")
        try assertStillAnswers(server)
        server.signal(SIGHUP)
        let reloading = try #require(notify.receiveAssignments())
        #expect(reloading["RELOADING"] == "1")
        #expect(reloading["MONOTONIC_USEC"].flatMap { UInt64($0) } != nil)
        #expect(notify.receiveAssignments()?["READY"] == "1")
        server.signal(SIGTERM)
        #expect(notify.receiveAssignments()?["STOPPING"] == "1")
        #expect(try server.process.waitForExit(timeout: 10) == 0)
    }

    @Test func sighupReloadsAndABrokenZoneKeepsTheOldVersion() throws {
        let directory = try TemporaryDirectory(prefix: "danezone-hup")
        let zone = try directory.write("example.zone", exampleZoneText)
        let server = try DanezoneServer(zones: [zone + ":example."], address: "127.53.5.3")
        #expect(try Dig.query(server.address, port: server.port, "new.example.", "A").status == "NXDOMAIN")

        // A changed file is served after SIGHUP.
        _ = try directory.write("example.zone", exampleZoneText.replacingOccurrences(of: " 1 7200", with: " 2 7200") + "new A 192.0.2.200\n")
        server.signal(SIGHUP)
        try server.process.waitForLine(containing: "serial 2", in: .stderr)
        let after = try Dig.query(server.address, port: server.port, "new.example.", "A")
        #expect(after.answer == ["new.example. 3600 IN A 192.0.2.200"])

        // A broken file keeps the old version, and the log says why.
        _ = try directory.write("example.zone", "this is not a zone file\n")
        server.signal(SIGHUP)
        try server.process.waitForLine(containing: "keeping the old version", in: .stderr)
        #expect(try Dig.query(server.address, port: server.port, "new.example.", "A").answer.count == 1)
        #expect(server.process.isRunning)

        // SIGTERM stops the server cleanly.
        server.signal(SIGTERM)
        #expect(try server.process.waitForExit(timeout: 10) == 0)
    }
}
