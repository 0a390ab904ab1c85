import ArgumentParser
import DANE
import EventLoop
import Foundation
import TLS

/// `dane probe`: a live check of every host of a service against its TLSA records.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "probe", abstract: "Connect to a service and check it against TLSA.")

    @Argument(help: "smtp, xmpp, irc, https or tls.") var service: String
    @Argument(help: "Host name, or the mail/XMPP domain with --mx/--srv.") var target: String
    @Option(help: "Port (with --mx or --srv it replaces each target's port).") var port: UInt16?
    @Flag(help: "Resolve the MX hosts of the domain (RFC 7672).") var mx = false
    @Flag(help: "Resolve the SRV targets of the domain (RFC 7673).") var srv = false
    @Option(help: "Connect to ADDR:PORT instead; names, ports and TLSA stay as DNS says.") var connect: String?
    @Flag(help: "Check only the most preferred host.") var first = false
    @Option(name: .customLong("trust-store"), help: "PEM bundle of PKIX trust anchors (default: system).") var trustStore: String?
    @Option(help: "Seconds allowed per host for connecting, STARTTLS and the handshake.") var timeout: Int = 20
    @Flag(help: "JSON output.") var json = false
    @OptionGroup var dns: DNSOptions

    func validate() throws {
        guard let kind = ServiceProtocol(name: service) else {
            throw ValidationError("unknown protocol \(service): use smtp, xmpp, irc, https or tls")
        }
        if kind == .tls, port == nil { throw ValidationError("tls needs --port") }
        if mx && srv { throw ValidationError("--mx and --srv exclude each other") }
        if mx, kind != .smtp { throw ValidationError("--mx goes with smtp") }
        if srv, kind != .xmpp { throw ValidationError("--srv goes with xmpp (_xmpp-client._tcp)") }
        if let connect, (try? SocketAddress(parsing: connect)) == nil {
            throw ValidationError("--connect needs ADDR:PORT, got \(connect)")
        }
    }

    func run() async throws {
        let source = try dns.makeSource()
        guard let kind = ServiceProtocol(name: service) else { throw ValidationError("unknown protocol") }
        let connector: DANEConnector
        do {
            connector = try DANEConnector(
                source: source, trustRoots: trustStore.map { .file($0) } ?? .system, timeout: .seconds(max(1, timeout)))
        } catch {
            throw ValidationError("TLS setup: \(error)")
        }
        let upstream: UpstreamTarget
        if mx {
            upstream = .mx(domain: target, port: port ?? 25)
        } else if srv {
            upstream = .srv(domain: target, port: port)
        } else {
            upstream = .host(target, port: port ?? kind.defaultPort ?? 443)
        }
        let request = ServiceRequest(
            service: kind, target: upstream, connectAddress: connect.flatMap { try? SocketAddress(parsing: $0) },
            firstOnly: first)
        let report = await connector.probe(request)
        if json { printJSON(reportJSON(report)) } else { printHuman(report) }
        let status = exitStatus(for: report.reason)
        if status != .success { throw status }
    }

    private func reportJSON(_ report: ProbeReport) -> [String: Any] {
        [
            "protocol": report.service.rawValue, "target": report.target, "verdict": report.verdict.rawValue,
            "reason": report.reason?.rawValue ?? NSNull(), "detail": report.targetDetail,
            "hosts": report.hosts.map { host -> [String: Any] in
                [
                    "host": host.host, "port": Int(host.port), "address": host.address ?? NSNull(),
                    "tlsaName": host.tlsa?.tlsaName.presentation ?? NSNull(), "dnssec": host.dnssec,
                    "records": host.records.map(recordResultJSON),
                    "tls": host.tls.map { tls -> [String: Any] in
                        ["version": tls.version, "cipher": tls.cipher, "verifyResult": Int(tls.verifyResult),
                         "verifyResultText": tls.verifyResultText,
                         "certificateSHA256": tls.peerCertificateSHA256.map(hex) ?? NSNull(),
                         "spkiSHA256": tls.peerSPKISHA256.map(hex) ?? NSNull()]
                    } ?? NSNull(),
                    "match": matchJSON(host.match), "verdict": host.verdict.rawValue,
                    "reason": host.reason?.rawValue ?? NSNull(), "detail": host.detail,
                ]
            },
        ]
    }

    private func printHuman(_ report: ProbeReport) {
        let verdict = report.verdict == .pass ? "VERIFIED" : "FAILED (\(report.reason?.rawValue ?? "?"))"
        print("\(report.service.rawValue) probe of \(report.target): \(verdict)")
        if report.hosts.isEmpty { print("  \(report.targetDetail)") }
        for host in report.hosts {
            print("host \(host.host) port \(host.port) address \(host.address ?? "-")")
            if let tlsa = host.tlsa {
                print("  TLSA \(tlsa.tlsaName.presentation): \(host.dnssec); \(tlsa.detail)")
            }
            if let tls = host.tls {
                print("  TLS \(tls.version) \(tls.cipher); chain verify: \(tls.verifyResultText)")
            }
            if !host.records.isEmpty { print(recordTable(host.records)) }
            if let match = host.match {
                print("  verdict: pass: \(describe(match.record)) matched at depth \(match.depth)")
            } else {
                print("  verdict: \(host.verdict.rawValue) (\(host.reason?.rawValue ?? "-")): \(host.detail)")
            }
        }
    }
}
