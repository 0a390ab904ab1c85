import EventLoop
import Foundation
import Gateway
import TestSupport
import Testing

/// `danegate check-config`, the examples in conf/, and the fuzz corpus of the `config` target.
@Suite struct CheckConfigCommandTests {
    private func confFiles() throws -> [String] {
        let folder = repositoryRootPath + "/conf"
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".conf") }.sorted()
            .map { folder + "/" + $0 }
    }

    @Test func everyExampleInConfPasses() throws {
        let files = try confFiles()
        // One example per protocol (issue 11), the configuration scripts/install puts in place,
        // and the one scripts/demo runs (issue 13).
        #expect(files.map { URL(fileURLWithPath: $0).lastPathComponent } == [
            "danegate.conf", "demo.conf", "http.conf", "irc.conf", "smtp.conf", "tls.conf", "xmpp.conf",
        ])
        let danegate = try builtProduct("danegate")
        for file in files {
            let result = try run(danegate, ["check-config", file])
            #expect(result.status == 0, "\(file): \(result.stderr)")
            let services = file.hasSuffix("/demo.conf") ? "4 services" : "1 service"
            #expect(result.stdout == "\(file): OK, \(services)\n")
        }
    }

    @Test func examplesShowWhatTheirProtocolNeeds() throws {
        let examples = Dictionary(uniqueKeysWithValues: try confFiles().map {
            (URL(fileURLWithPath: $0).lastPathComponent, try GatewayConfiguration.load(path: $0))
        })
        #expect(examples["smtp.conf"]?.services.first?.connect == .mx(domain: "example.org", port: 25))
        #expect(examples["xmpp.conf"]?.services.first?.connect == .srvFromClient)
        #expect(examples["irc.conf"]?.services.first?.serviceProtocol == .irc)
        #expect(examples["http.conf"]?.services.first?.serviceProtocol == .https)
        #expect(examples["tls.conf"]?.services.first?.serviceProtocol == .tls)
        // scripts/demo fills in the ports after the last colon of each connect.
        #expect(examples["demo.conf"]?.services.map(\.connect) == [
            .host("www.example", port: 443), .host("www.example", port: 8443), .mx(domain: "example", port: 25),
            .host("irc.example", port: 6697),
        ])
    }

    @Test func badFileExitsOneWithEveryProblemOnItsOwnLine() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("bad.conf", """
            log-level = loud
            [mail]
            accept = 127.0.0.1:2525
            connect = srv:example.org
            protocol = smtp
            frobnicate = yes
            [mail2]
            accept = 127.0.0.1:2525
            connect = a.example:25
            protocol = smtp
            protocol = tls

            """)
        let result = try run(try builtProduct("danegate"), ["check-config", path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").map(String.init) == [
            "\(path):1: log-level: expected one of trace, debug, info, notice, warning, error, critical",
            "\(path):4: connect: srv: needs protocol = xmpp (RFC 7673)",
            "\(path):6: frobnicate: unknown key",
            "\(path):8: accept: 127.0.0.1:2525 is already taken by [mail] (line 3)",
            "\(path):11: protocol: given twice (first on line 10)",
        ])
    }

    @Test func missingOrHugeFile() throws {
        let danegate = try builtProduct("danegate")
        let missing = try run(danegate, ["check-config", "/nonexistent/danegate.conf"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "/nonexistent/danegate.conf: cannot open: No such file or directory\n")

        // An endless file is refused after the size bound, not read to its end.
        let endless = try run(danegate, ["check-config", "/dev/zero"], timeout: 20)
        #expect(endless.status == 1)
        #expect(endless.stderr == "/dev/zero: the file is larger than 1048576 bytes\n")
    }

    @Test func loadNamesTheFileAsGiven() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("x.conf", "[s]\naccept = 127.0.0.1:1\n")
        do throws(ConfigurationError) {
            _ = try GatewayConfiguration.load(path: path)
            Issue.record("loaded")
        } catch {
            #expect(error.problems.allSatisfy { $0.file == path && $0.line == 1 })
            #expect(error.description == "\(path):1: connect: missing in [s]\n\(path):1: protocol: missing in [s]")
        }
    }

    @Test func clientAdmission() throws {
        let configuration = try GatewayConfigurationParser(file: "t").parse("""
            [open]
            accept = 0.0.0.0:2525
            connect = a.example:25
            protocol = tls
            [listed]
            accept = 0.0.0.0:2526
            connect = a.example:25
            protocol = tls
            allow = 192.0.2.0/24, 2001:db8::/32
            """)
        let unlisted = configuration.services[0]
        let listed = configuration.services[1]
        func address(_ text: String) throws -> SocketAddress { try SocketAddress(parsing: text) }
        // Without allow, a public listener lets in loopback clients only: never an open relay.
        #expect(unlisted.admits(try address("127.0.0.1:5000")))
        #expect(unlisted.admits(try address("[::1]:5000")))
        #expect(!unlisted.admits(try address("192.0.2.1:5000")))
        #expect(listed.admits(try address("192.0.2.200:5000")))
        #expect(listed.admits(try address("[::ffff:192.0.2.200]:5000")))
        #expect(listed.admits(try address("[2001:db8::7]:5000")))
        #expect(!listed.admits(try address("127.0.0.1:5000")))
        #expect(!listed.admits(try address("198.51.100.1:5000")))
    }
}
