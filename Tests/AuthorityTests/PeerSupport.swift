import Foundation
import TestSupport

/// A `danezone serve` child on loopback, with the port it bound read back from its
/// `LISTEN udp ADDR:PORT` line.
final class DanezoneServer {
    let process: PeerProcess
    let address: String
    let port: Int

    /// `descriptorLimit` starts danezone under `ulimit -n` (the shell execs it, so `process.pid`
    /// is danezone's).
    init(
        zones: [String], address: String, extraArguments: [String] = [], descriptorLimit: Int? = nil,
        environment: [String: String] = [:]
    ) throws {
        var arguments = ["serve", "--listen", "\(address):0"]
        for zone in zones { arguments += ["--zone", zone] }
        if let descriptorLimit {
            let script = "ulimit -n \(descriptorLimit) && exec \"$0\" \"$@\""
            process = try PeerProcess(
                "/bin/sh", ["-c", script, try builtProduct("danezone")] + arguments + extraArguments,
                environment: environment)
        } else {
            process = try PeerProcess(try builtProduct("danezone"), arguments + extraArguments, environment: environment)
        }
        let groups = try process.waitForMatch(#"LISTEN udp [0-9.]+:(\d+)"#, in: .stdout)
        guard groups.count == 2, let port = Int(groups[1]) else {
            throw TestSupportError(.commandFailed, "no port in danezone's LISTEN line:\n\(process.transcript)")
        }
        self.address = address
        self.port = port
        _ = try process.waitForLine(containing: "LISTEN tcp", in: .stdout)
    }

    func signal(_ number: Int32) { _ = kill(process.pid, number) }

    deinit { process.kill() }
}

/// knotd serving zone files as they are (`dnssec-signing: off`), on `address`:`port`, with
/// its run and storage folders inside `directory`.
final class KnotServer {
    let process: PeerProcess
    let address: String
    let port: Int

    /// `zones` maps each origin ("example.") to a zone file path.
    init(zones: [(origin: String, file: String)], address: String, directory: TemporaryDirectory) throws {
        let port = Int(try freeLoopbackPort())
        var config = """
            server:
                rundir: "\(directory.path)"
                listen: \(address)@\(port)
            database:
                storage: "\(directory.path)"
            template:
              - id: default
                storage: "\(directory.path)"
                dnssec-signing: off
                zonefile-sync: -1
                zonefile-load: whole
                journal-content: none
            zone:

            """
        for zone in zones {
            config += "  - domain: \(zone.origin)\n    file: \"\(zone.file)\"\n"
        }
        let configPath = try directory.write("knot.conf", config)
        process = try PeerProcess("knotd", ["-c", configPath], package: "knot")
        self.address = address
        self.port = port
        // Ready when every zone answers its SOA (polling, no fixed sleep).
        let deadline = Date().addingTimeInterval(15)
        for zone in zones {
            while true {
                let reply = try? Dig.query(address, port: port, zone.origin, "SOA", dnssec: false)
                if reply?.status == "NOERROR", reply?.answer.isEmpty == false { break }
                guard Date() < deadline, process.isRunning else {
                    throw TestSupportError(.timedOut, "knotd did not serve \(zone.origin):\n\(process.transcript)")
                }
                usleep(20_000)
            }
        }
    }

    deinit { process.kill() }
}

/// A dig reply cut into what the comparisons look at; records in presentation form with
/// blanks collapsed, each section sorted (order is not significant, RFC 2181 §5).
struct DigReply: Equatable, CustomStringConvertible {
    var status = ""
    var flags: Set<String> = []
    var answer: [String] = []
    var authority: [String] = []
    var additional: [String] = []

    var description: String {
        "status \(status) flags \(flags.sorted())\nANSWER\n\(answer.joined(separator: "\n"))\n"
            + "AUTHORITY\n\(authority.joined(separator: "\n"))\nADDITIONAL\n\(additional.joined(separator: "\n"))"
    }
}

enum Dig {
    static func query(
        _ address: String, port: Int, _ name: String, _ type: String, dnssec: Bool = true, tcp: Bool = false,
        extra: [String] = []
    ) throws -> DigReply {
        var arguments = [
            "@\(address)", "-p", String(port), "+norec", "+noall", "+comments", "+answer", "+authority",
            "+additional", "+tries=2", "+time=2", "+nocookie",
        ]
        if dnssec { arguments.append("+dnssec") }
        if tcp { arguments.append("+tcp") }
        arguments += extra + [name, type]
        let result = try run("dig", arguments, package: "bind9-dnsutils", timeout: 20)
        guard result.status == 0 else {
            throw TestSupportError(.commandFailed, "dig \(arguments.joined(separator: " ")) failed: \(result.stdout) \(result.stderr)")
        }
        return parse(result.stdout)
    }

    /// Many questions in one dig run (`dig -f`), each with the same options; the replies come
    /// back in order.
    static func batch(
        _ address: String, port: Int, _ questions: [(name: String, type: String)], dnssec: Bool, in directory: TemporaryDirectory
    ) throws -> [DigReply] {
        let batchFile = try directory.write(
            "dig-batch-\(port)-\(dnssec)", questions.map { "\($0.name) \($0.type)" }.joined(separator: "\n") + "\n")
        var arguments = [
            "@\(address)", "-p", String(port), "+norec", "+noall", "+comments", "+answer", "+authority",
            "+additional", "+tries=2", "+time=2", "+nocookie",
        ]
        if dnssec { arguments.append("+dnssec") }
        arguments += ["-f", batchFile]
        let result = try run("dig", arguments, package: "bind9-dnsutils", timeout: 60)
        let replies = result.stdout.components(separatedBy: ";; Got answer:").dropFirst().map(parse)
        guard replies.count == questions.count else {
            throw TestSupportError(.commandFailed, "dig -f gave \(replies.count) replies for \(questions.count) questions:\n\(result.stdout)\n\(result.stderr)")
        }
        return replies
    }

    static func parse(_ output: String) -> DigReply {
        var reply = DigReply()
        var section: WritableKeyPath<DigReply, [String]>?
        for line in output.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.contains("->>HEADER<<-"), let range = line.range(of: "status: ") {
                reply.status = String(line[range.upperBound...].prefix { $0 != "," })
            } else if line.hasPrefix(";; flags:"), let colon = line.firstIndex(of: ":") {
                let text = line[line.index(after: colon)...].prefix { $0 != ";" }
                reply.flags = Set(text.split(separator: " ").map(String.init))
            } else if line.hasPrefix(";; ANSWER SECTION") {
                section = \.answer
            } else if line.hasPrefix(";; AUTHORITY SECTION") {
                section = \.authority
            } else if line.hasPrefix(";; ADDITIONAL SECTION") {
                section = \.additional
            } else if line.hasPrefix(";") {
                continue
            } else if let section {
                reply[keyPath: section].append(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " "))
            }
        }
        reply.answer.sort()
        reply.authority.sort()
        reply.additional.sort()
        return reply
    }
}
