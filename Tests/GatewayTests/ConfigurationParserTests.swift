import DANE
import EventLoop
import Foundation
import Gateway
import Testing

/// The smallest good service section (4 lines, then a blank one).
private let minimalService = """
    [mail]
    accept = 127.0.0.1:2525
    connect = mx:example.org
    protocol = smtp

    """

/// The INI configuration (DESIGN.md "Configuration", issue 11): what parses to what, and one
/// named rejection per kind of bad input, each naming the file, line and key.
@Suite struct ConfigurationParserTests {
    private func parse(_ text: String, file: String = "test.conf") throws(ConfigurationError) -> GatewayConfiguration {
        try GatewayConfigurationParser(file: file).parse(text)
    }

    /// The problems of a file that must not parse.
    private func problems(_ text: String, file: String = "test.conf") -> [ConfigurationProblem] {
        do throws(ConfigurationError) {
            let configuration = try parse(text, file: file)
            Issue.record("parsed, expected problems: \(configuration)")
            return []
        } catch {
            return error.problems
        }
    }

    @Test func everyKeyIsRead() throws {
        let configuration = try parse("""
            ; a comment
            # another comment
            resolver = 127.0.0.1, [::1]:5353
            resolver = 127.0.0.2:53
            trust-anchor = /etc/danegate/root.key
            audit-log = /var/log/danegate/audit.log
            log-level = debug

            [mail-out]
            accept = 127.0.0.1:2525
            connect = mx:example.org:587
            protocol = smtp
            dane = opportunistic
            helo = gw.example.net
            sni = mx.example.org
            dane-ee-namechecks = no
            allow = 127.0.0.0/8, 192.0.2.0/24
            allow = 2001:db8::/32
            max-connections = 50
            connect-timeout = 250ms
            handshake-timeout = 2m
            idle-timeout = 1h
            """)
        #expect(configuration.global.resolvers.map(\.description) == ["127.0.0.1:53", "[::1]:5353", "127.0.0.2:53"])
        #expect(configuration.global.dnssec == .validate(trustAnchor: "/etc/danegate/root.key"))
        #expect(configuration.global.auditLog == "/var/log/danegate/audit.log")
        #expect(configuration.global.logLevel == .debug)
        #expect(configuration.services.count == 1)
        let service = try #require(configuration.services.first)
        #expect(service.name == "mail-out")
        #expect(service.accept.description == "127.0.0.1:2525")
        #expect(service.connect == .mx(domain: "example.org", port: 587))
        #expect(service.serviceProtocol == .smtp)
        #expect(service.dane == .opportunistic)
        #expect(service.helo == "gw.example.net")
        #expect(service.sni == "mx.example.org")
        #expect(service.daneEENameChecks == false)
        #expect(service.allow?.map(\.description) == ["127.0.0.0/8", "192.0.2.0/24", "2001:db8:0:0:0:0:0:0/32"])
        #expect(service.maxConnections == 50)
        #expect(service.connectTimeout == .milliseconds(250))
        #expect(service.handshakeTimeout == .seconds(120))
        #expect(service.idleTimeout == .seconds(3600))
    }

    @Test func defaultsWhenKeysAreMissing() throws {
        let configuration = try parse(minimalService)
        #expect(configuration.global == GlobalSettings())
        #expect(configuration.global.dnssec == .validate(trustAnchor: "/usr/share/dns/root.key"))
        let service = try #require(configuration.services.first)
        #expect(service.dane == .require)
        #expect(service.connect == .mx(domain: "example.org", port: 25))
        #expect(service.allow == nil)
        #expect(service.daneEENameChecks == false)
        #expect(service.connectTimeout == .seconds(10))
        #expect(service.handshakeTimeout == .seconds(30))
        #expect(service.idleTimeout == .seconds(300))
        #expect(service.maxConnections == 1000)
    }

    @Test(arguments: [
        ("mail.example.org:25", "smtp", ConnectTarget.host("mail.example.org", port: 25)),
        ("192.0.2.1:443", "http", .host("192.0.2.1", port: 443)),
        ("[2001:db8::1]:6697", "irc", .host("2001:db8::1", port: 6697)),
        ("mx:example.org", "smtp", .mx(domain: "example.org", port: 25)),
        ("mx:example.org:2525", "smtp", .mx(domain: "example.org", port: 2525)),
        ("srv:example.org", "xmpp", .srv(domain: "example.org")),
        ("srv:*", "xmpp", .srvFromClient),
    ])
    func connectForms(text: String, serviceProtocol: String, expected: ConnectTarget) throws {
        let configuration = try parse("[s]\naccept = 127.0.0.1:1\nconnect = \(text)\nprotocol = \(serviceProtocol)\n")
        #expect(configuration.services.first?.connect == expected)
    }

    @Test(arguments: [
        ("30", Duration.seconds(30)), ("30s", .seconds(30)), ("250ms", .milliseconds(250)), ("5m", .seconds(300)),
        ("1h", .seconds(3600)), ("24h", .seconds(86_400)),
    ])
    func durations(text: String, expected: Duration) throws {
        let configuration = try parse(minimalService + "connect-timeout = \(text)\n")
        #expect(configuration.services.first?.connectTimeout == expected)
    }

    @Test func idleTimeoutNoneMeansNever() throws {
        let configuration = try parse(minimalService + "idle-timeout = none\n")
        #expect(configuration.services.first?.idleTimeout == nil)
    }

    @Test func trustADWithLoopbackResolver() throws {
        let configuration = try parse("dnssec = trust-ad\nresolver = ::1\n" + minimalService)
        #expect(configuration.global.dnssec == .trustAD)
        #expect(configuration.global.resolvers.map(\.description) == ["[::1]:53"])
    }

    @Test func nameChecksAllowedForHTTP() throws {
        let configuration = try parse("""
            [web]
            accept = 127.0.0.1:8080
            connect = www.example.com:443
            protocol = http
            dane-ee-namechecks = yes
            """)
        #expect(configuration.services.first?.daneEENameChecks == true)
        #expect(configuration.services.first?.serviceProtocol == .https)
    }

    /// One row per kind of bad input: the file, the line and key the problem must name, and a
    /// piece of its message.
    @Test(arguments: badValues)
    func badValueNamesFileLineAndKey(text: String, line: Int, key: String, message: String) {
        let found = problems(text, file: "bad.conf")
        #expect(
            found.contains { $0.file == "bad.conf" && $0.line == line && $0.key == key && $0.message.contains(message) },
            "expected bad.conf:\(line): \(key): ...\(message)..., got \(found.map(\.description))")
    }

    private static let badValues: [(String, Int, String, String)] = [
        // Keys.
        (minimalService + "frobnicate = 1\n", 5, "frobnicate", "unknown key"),
        (minimalService + "protocol = smtp\n", 5, "protocol", "given twice (first on line 4)"),
        ("log-level = info\nlog-level = debug\n" + minimalService, 2, "log-level", "given twice"),
        ("accept = 127.0.0.1:1\n" + minimalService, 1, "accept", "is a service key"),
        (minimalService + "audit-log = /tmp/x\n", 5, "audit-log", "is a global key"),
        (minimalService + "helo =\n", 5, "helo", "empty value"),
        // Missing keys: named at the section's line.
        ("[s]\nconnect = a.example:1\nprotocol = tls\n", 1, "accept", "missing in [s]"),
        ("[s]\naccept = 127.0.0.1:1\nprotocol = tls\n", 1, "connect", "missing in [s]"),
        ("[s]\naccept = 127.0.0.1:1\nconnect = a.example:1\n", 1, "protocol", "missing in [s]"),
        // accept.
        ("[s]\naccept = localhost:25\nconnect = a.example:1\nprotocol = tls\n", 2, "accept", "not an address"),
        ("[s]\naccept = 127.0.0.1\nconnect = a.example:1\nprotocol = tls\n", 2, "accept", "port is missing"),
        ("[s]\naccept = 127.0.0.1:65536\nconnect = a.example:1\nprotocol = tls\n", 2, "accept", "0 to 65535"),
        ("[s]\naccept = ::1:25\nconnect = a.example:1\nprotocol = tls\n", 2, "accept", "needs brackets"),
        // connect.
        ("[s]\naccept = 127.0.0.1:1\nconnect = a.example:0\nprotocol = tls\n", 3, "connect", "1 to 65535"),
        ("[s]\naccept = 127.0.0.1:1\nconnect = a.example:99999\nprotocol = tls\n", 3, "connect", "1 to 65535"),
        ("[s]\naccept = 127.0.0.1:1\nconnect = a.example\nprotocol = tls\n", 3, "connect", "port is missing"),
        ("[s]\naccept = 127.0.0.1:1\nconnect = bad_name.example:1\nprotocol = tls\n", 3, "connect", "not a valid host name"),
        ("[s]\naccept = 127.0.0.1:1\nconnect = 2001:db8::1:443\nprotocol = tls\n", 3, "connect", "needs brackets"),
        ("[s]\naccept = 127.0.0.1:1\nconnect = 192.0.2:443\nprotocol = tls\n", 3, "connect", "neither an IPv4 address"),
        ("[s]\naccept = 127.0.0.1:1\nconnect = mx:example.org\nprotocol = tls\n", 3, "connect", "mx: needs protocol = smtp"),
        ("[s]\naccept = 127.0.0.1:1\nconnect = srv:example.org\nprotocol = smtp\n", 3, "connect", "srv: needs protocol = xmpp"),
        ("[s]\naccept = 127.0.0.1:1\nconnect = srv:*\nprotocol = irc\n", 3, "connect", "srv: needs protocol = xmpp"),
        ("[s]\naccept = 127.0.0.1:1\nconnect = srv:example.org:5222\nprotocol = xmpp\n", 3, "connect", "domain only"),
        ("[s]\naccept = 127.0.0.1:1\nconnect = mx:example.org:0\nprotocol = smtp\n", 3, "connect", "1 to 65535"),
        // Other values.
        (minimalService.replacingOccurrences(of: "smtp", with: "gopher"), 4, "protocol", "expected smtp, xmpp"),
        (minimalService + "dane = maybe\n", 5, "dane", "expected require, opportunistic or audit"),
        (minimalService + "helo = -bad-.example\n", 5, "helo", "not a valid host name"),
        (minimalService + "sni = 192.0.2.1\n", 5, "sni", "not an address"),
        (minimalService + "dane-ee-namechecks = perhaps\n", 5, "dane-ee-namechecks", "expected yes or no"),
        (minimalService + "dane-ee-namechecks = yes\n", 5, "dane-ee-namechecks", "only with protocol = http"),
        (minimalService + "allow = 192.0.2.7/24\n", 5, "allow", "bits set past the /24 prefix"),
        (minimalService + "allow = 192.0.2.0/33\n", 5, "allow", "prefix length must be 0 to 32"),
        (minimalService + "allow = example.org\n", 5, "allow", "not an address or CIDR range"),
        (minimalService + "allow = 127.0.0.1,,::1\n", 5, "allow", "empty item"),
        (minimalService + "max-connections = 0\n", 5, "max-connections", "from 1 to 1000000"),
        (minimalService + "max-connections = lots\n", 5, "max-connections", "whole number"),
        (minimalService + "connect-timeout = 30x\n", 5, "connect-timeout", "expected a duration"),
        (minimalService + "connect-timeout = 0s\n", 5, "connect-timeout", "longer than zero"),
        (minimalService + "handshake-timeout = 25h\n", 5, "handshake-timeout", "at most 24h"),
        (minimalService + "handshake-timeout = 1.5s\n", 5, "handshake-timeout", "expected a duration"),
        (minimalService + "idle-timeout = 0\n", 5, "idle-timeout", "write none"),
        (minimalService + "helo = gw.example.net\n" + "[irc]\naccept = 127.0.0.1:6667\nconnect = i.example:6697\nprotocol = irc\nhelo = x.example\n",
         10, "helo", "only to protocol = smtp"),
        // Global values.
        ("resolver = resolver.example\n" + minimalService, 1, "resolver", "expected ADDR or ADDR:PORT"),
        ("dnssec = trust-ad\nresolver = 192.0.2.53\n" + minimalService, 2, "resolver", "not a loopback address"),
        ("dnssec = trust-ad\ntrust-anchor = /k\n" + minimalService, 2, "trust-anchor", "cannot be used with dnssec = trust-ad"),
        ("dnssec = maybe\n" + minimalService, 1, "dnssec", "expected validate or trust-ad"),
        ("trust-anchor = root.key\n" + minimalService, 1, "trust-anchor", "absolute path"),
        ("audit-log = audit.log\n" + minimalService, 1, "audit-log", "absolute path"),
        ("log-level = loud\n" + minimalService, 1, "log-level", "expected one of trace"),
        // Across sections.
        (minimalService + "[other]\naccept = 127.0.0.1:2525\nconnect = a.example:1\nprotocol = tls\n",
         6, "accept", "already taken by [mail] (line 2)"),
        (minimalService + "[other]\naccept = 0.0.0.0:2525\nconnect = a.example:1\nprotocol = tls\n",
         6, "accept", "already taken by [mail]"),
    ]

    /// Lines that are not `key = value`: named by file and line (they have no key).
    @Test(arguments: [
        (minimalService + "[unclosed\n", 5, "section header must be [name]"),
        (minimalService + "[]\n", 5, "empty section name"),
        (minimalService + "[a b]\n", 5, "may hold only letters"),
        (minimalService + "[mail]\n", 5, "section [mail] already defined on line 1"),
        (minimalService + "just words\n", 5, "expected 'key = value'"),
        (minimalService + "= value\n", 5, "missing key"),
        (minimalService + "helo = a\u{1}b\n", 5, "control character 0x1"),
    ])
    func badLineNamesFileAndLine(text: String, line: Int, message: String) {
        let found = problems(text, file: "bad.conf")
        #expect(
            found.contains { $0.file == "bad.conf" && $0.line == line && $0.key == nil && $0.message.contains(message) },
            "expected bad.conf:\(line): ...\(message)..., got \(found.map(\.description))")
    }

    @Test func invalidUTF8IsALineProblem() throws {
        var bytes = Array(minimalService.utf8)
        bytes += Array("helo = caf".utf8) + [0xC3] + Array("\n".utf8)
        do throws(ConfigurationError) {
            _ = try GatewayConfigurationParser(file: "bad.conf").parse(bytes)
            Issue.record("parsed")
        } catch {
            #expect(error.problems.map(\.description) == ["bad.conf:5: line is not valid UTF-8"])
        }
    }

    @Test func sectionWithNothingInItIsNamed() {
        let found = problems("[empty]\n", file: "e.conf")
        #expect(found.map(\.description) == [
            "e.conf:1: accept: missing in [empty]", "e.conf:1: connect: missing in [empty]",
            "e.conf:1: protocol: missing in [empty]",
        ])
    }

    @Test func fileWithoutServicesIsAnError() {
        #expect(problems("log-level = info\n").map(\.message) == ["no services: add a [section] with accept, connect and protocol"])
    }

    @Test func everyProblemIsCollectedInFileOrder() {
        let found = problems("""
            log-level = loud
            [a]
            accept = 127.0.0.1:70000
            connect = mx:example.org
            protocol = irc
            frobnicate = 1
            [b]
            accept = 127.0.0.1:1
            connect = a.example:1
            protocol = tls
            protocol = tls
            """, file: "many.conf")
        #expect(found.map(\.description) == [
            "many.conf:1: log-level: expected one of trace, debug, info, notice, warning, error, critical",
            "many.conf:3: accept: port must be a number from 0 to 65535",
            "many.conf:4: connect: mx: needs protocol = smtp (RFC 7672)",
            "many.conf:6: frobnicate: unknown key",
            "many.conf:11: protocol: given twice (first on line 10)",
        ])
    }

    @Test func problemCountIsCapped() {
        let text = minimalService + String(repeating: "nonsense\n", count: 5000)
        let found = problems(text)
        #expect(found.count == 1001)
        #expect(found.first?.message.contains("more than 1000 problems") == true)
    }

    @Test func inputBounds() {
        let longLine = problems(minimalService + "helo = " + String(repeating: "a", count: 5000) + "\n")
        #expect(longLine.map(\.description) == ["test.conf:5: line longer than 4096 bytes"])

        let tooBig = problems(String(repeating: "; padding\n", count: 110_000))
        #expect(tooBig.map(\.description) == ["test.conf: the file is larger than 1048576 bytes"])

        var many = ""
        for index in 0...1024 { many += "[s\(index)]\naccept = 127.0.0.1:0\nconnect = a.example:1\nprotocol = tls\n" }
        let tooMany = problems(many)
        #expect(tooMany.map(\.description) == ["test.conf:4097: more than 1024 sections"])
    }

    @Test func listsAreBounded() {
        let resolvers = (1...17).map { "127.0.0.\($0)" }.joined(separator: ", ")
        #expect(problems("resolver = \(resolvers)\n" + minimalService).map(\.description) == [
            "test.conf:1: resolver: more than 16 resolvers"
        ])
        let ranges = (0..<257).map { "10.0.\($0 / 256).\($0 % 256)" }.joined(separator: ",")
        #expect(problems(minimalService + "allow = \(ranges)\n").map(\.description) == [
            "test.conf:5: allow: more than 256 ranges"
        ])
    }

    @Test func crlfLineEndingsAndPortZeroListeners() throws {
        let text = "[a]\r\naccept = 127.0.0.1:0\r\nconnect = a.example:1\r\nprotocol = tls\r\n"
            + "[b]\r\naccept = 127.0.0.1:0\r\nconnect = b.example:1\r\nprotocol = tls\r\n"
        let configuration = try parse(text)
        #expect(configuration.services.map(\.name) == ["a", "b"])
    }

    @Test func problemDescriptionIsFileLineKeyMessage() {
        #expect(ConfigurationProblem(file: "f", line: 3, key: "k", message: "m").description == "f:3: k: m")
        #expect(ConfigurationProblem(file: "f", line: 3, key: nil, message: "m").description == "f:3: m")
        #expect(ConfigurationProblem(file: "f", line: nil, key: nil, message: "m").description == "f: m")
    }

    @Test func renderedConfigurationParsesToTheSameValue() throws {
        let configuration = try parse("""
            dnssec = trust-ad
            resolver = ::1, 127.0.0.1:5353
            [x]
            accept = [::1]:5222
            connect = srv:*
            protocol = xmpp
            sni = example.org
            allow = ::1, 10.0.0.0/8
            idle-timeout = none
            [h]
            accept = 127.0.0.1:8080
            connect = [2001:db8::1]:443
            protocol = http
            dane-ee-namechecks = yes
            connect-timeout = 1500ms
            """)
        #expect(try parse(configuration.renderedINI()) == configuration)
    }
}
