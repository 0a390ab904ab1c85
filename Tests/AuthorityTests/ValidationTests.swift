import Foundation
import TestSupport
import Testing

/// Zones signed by danezone and served by danezone validate: in delv from the parent's trust
/// anchor down through danezone's DS, and in unbound configured with a stub zone pointing at
/// danezone (issues 4 and 5).
@Suite(.serialized) struct ValidationTests {
    static let cases: [(algorithm: Int, nsec3: Bool, optOut: Bool)] = [(13, false, false), (15, true, false), (8, true, true)]

    @Test(arguments: 0..<cases.count)
    func delvValidatesTheChildFromTheParentAnchor(index: Int) throws {
        let (algorithm, nsec3, optOut) = Self.cases[index]
        let directory = try TemporaryDirectory(prefix: "danezone-delv")
        let hierarchy = try SignedHierarchy(in: directory, algorithm: algorithm, nsec3: nsec3, optOut: optOut)
        let server = try DanezoneServer(
            zones: [hierarchy.parentFile + ":" + SignedHierarchy.parent, hierarchy.childFile + ":" + SignedHierarchy.child],
            address: "127.53.6.\(index + 1)")
        let anchor = try directory.write("anchor.conf", hierarchy.bindAnchor)

        func delv(_ name: String, _ type: String) throws -> String {
            let result = try run(
                "delv", ["@\(server.address)", "-p", String(server.port), "-a", anchor, "+root=\(SignedHierarchy.parent)", name, type],
                package: "bind9-dnsutils", timeout: 30)
            return result.stdout + result.stderr
        }
        let cases: [(String, String, String)] = [
            ("www.child.dane.test.", "A", "; fully validated"),
            ("_443._tcp.www.child.dane.test.", "TLSA", "; fully validated"),
            ("x.wild.child.dane.test.", "TXT", "; fully validated"),
            ("nothing.child.dane.test.", "A", "; negative response, fully validated"),
            ("www.child.dane.test.", "MX", "; negative response, fully validated"),
            ("dane.test.", "MX", "; fully validated"),
            ("_25._tcp.mx.dane.test.", "TLSA", "; fully validated"),
            ("nothing.dane.test.", "TXT", "; negative response, fully validated"),
        ]
        for (name, type, verdict) in cases {
            let output = try delv(name, type)
            if optOut, name.hasPrefix("x.wild") {
                // The NSEC3 covering the next closer name has the Opt-Out flag, so it cannot
                // prove that no unsigned delegation exists there: validators call the
                // wildcard answer insecure (RFC 5155 §9.2, §8.8); delv says "; unsigned answer"
                // and nothing else is right.
                #expect(output.contains("; unsigned answer"), "\(output)")
                continue
            }
            #expect(output.contains(verdict), "delv \(name) \(type) (alg \(algorithm), nsec3 \(nsec3)):\n\(output)")
        }
    }

    @Test func unboundWithAStubZoneValidatesDanezoneAnswers() throws {
        let directory = try TemporaryDirectory(prefix: "danezone-unbound")
        let hierarchy = try SignedHierarchy(in: directory, algorithm: 13, nsec3: true)
        let server = try DanezoneServer(
            zones: [hierarchy.parentFile + ":" + SignedHierarchy.parent, hierarchy.childFile + ":" + SignedHierarchy.child],
            address: "127.53.6.10")
        let anchor = try directory.write("anchor.key", hierarchy.zoneFileAnchor)
        let port = Int(try freeLoopbackPort())
        let config = try directory.write("unbound.conf", """
            server:
                interface: 127.53.6.11
                port: \(port)
                do-ip6: no
                do-not-query-localhost: no
                username: ""
                chroot: ""
                directory: "\(directory.path)"
                pidfile: "\(directory.file("unbound.pid"))"
                use-syslog: no
                logfile: ""
                verbosity: 1
                local-zone: "test." nodefault
                trust-anchor-file: "\(anchor)"
                module-config: "validator iterator"
                ede: yes
            remote-control:
                control-enable: no
            stub-zone:
                name: "\(SignedHierarchy.parent)"
                stub-addr: \(server.address)@\(server.port)

            """)
        let unbound = try PeerProcess("unbound", ["-d", "-c", config], package: "unbound")
        defer { unbound.kill() }
        // Ready when it answers (polling).
        let deadline = Date().addingTimeInterval(15)
        while (try? Dig.query("127.53.6.11", port: port, SignedHierarchy.parent, "SOA", extra: ["+rec"]))?.status != "NOERROR" {
            guard Date() < deadline, unbound.isRunning else {
                Issue.record("unbound did not come up:\n\(unbound.transcript)")
                return
            }
            usleep(20_000)
        }
        func ask(_ name: String, _ type: String) throws -> DigReply {
            try Dig.query("127.53.6.11", port: port, name, type, extra: ["+rec"])
        }
        let www = try ask("www.child.dane.test.", "A")
        #expect(www.status == "NOERROR")
        #expect(www.flags.contains("ad"))
        #expect(www.answer.contains { $0.hasSuffix("IN A 192.0.2.80") })

        let tlsa = try ask("_443._tcp.www.child.dane.test.", "TLSA")
        #expect(tlsa.flags.contains("ad"))
        #expect(tlsa.answer.contains { $0.contains("IN TLSA 3 1 1 AABBCCDD") })

        let missing = try ask("nothing.child.dane.test.", "A")
        #expect(missing.status == "NXDOMAIN")
        #expect(missing.flags.contains("ad"))

        let noData = try ask("www.child.dane.test.", "TXT")
        #expect(noData.status == "NOERROR" && noData.answer.isEmpty && noData.flags.contains("ad"))

        let wildcard = try ask("a.wild.child.dane.test.", "TXT")
        #expect(wildcard.flags.contains("ad"))
        #expect(wildcard.answer.contains { $0.contains("\"synthesised\"") })

        let mx = try ask("dane.test.", "MX")
        #expect(mx.flags.contains("ad"))
        #expect(mx.answer.contains { $0.contains("IN MX 10 mx.dane.test.") })
    }
}
