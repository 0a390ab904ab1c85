import ArgumentParser
import Cryptography
import EventLoop
import Gateway
import TLS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `danegate tunnel`: a client tunnel (plaintext in, TLS out) to one fixed upstream,
/// authenticated by TLSA records given on the command line, or by PKIX with a CA file.
/// The DNS-driven gateway builds on the same pieces.
struct TunnelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tunnel",
        abstract: "Relay plaintext clients to a TLS upstream authenticated by DANE (or PKIX).",
        discussion: """
            Prints 'LISTEN <address>:<port>' once listening (useful with port 0), and one line
            per connection on stderr saying whether the upstream was verified.
            """)

    @Option(help: "Address to listen on, e.g. 127.0.0.1:8443 or [::1]:0.")
    var accept: String

    @Option(help: "Upstream address to connect to, e.g. 127.0.0.1:443.")
    var connect: String

    @Option(name: .customLong("tlsa"), help: "A TLSA record as 'USAGE SELECTOR MTYPE HEX'; repeatable.")
    var tlsaRecords: [String] = []

    @Option(help: "TLSA base domain: the reference identifier for DANE-TA and PKIX, and the default SNI.")
    var host: String

    @Option(help: "SNI to send, when it differs from --host.")
    var serverName: String?

    @Option(help: "PEM file of trust anchors for PKIX (used when no --tlsa is given, and by usages 0 and 1).")
    var caFile: String?

    @Flag(help: "Check the name in DANE-EE(3) certificates too (RFC 7671 §5.1 says not to).")
    var daneEENameChecks = false

    @Option(help: "Seconds the TCP connect plus the TLS handshake may take.")
    var handshakeTimeout: Int = 30

    func validate() throws {
        guard handshakeTimeout > 0 else { throw ValidationError("--handshake-timeout must be positive") }
        if tlsaRecords.isEmpty && caFile == nil {
            throw ValidationError("give --tlsa records or a --ca-file: an unauthenticated tunnel is not offered")
        }
        for record in tlsaRecords { _ = try parseTLSA(record) }
    }

    func run() throws {
        let records = try tlsaRecords.map(parseTLSA)
        let trustRoots: TLSConfiguration.TrustRoots = caFile.map { .file($0) } ?? .none
        var configuration = TLSConfiguration.client(trustRoots: trustRoots)
        configuration.skipDANEEENameChecks = !daneEENameChecks
        let context = try TLSContext(configuration)
        let options = TLSClientOptions(
            serverName: serverName ?? host,
            referenceIdentifiers: [host],
            dane: records.isEmpty ? nil : DANEParameters(baseDomain: host, records: records),
            resumptionKey: connect)

        let loop = try EventLoop()
        let tunnel = try TLSTunnel(
            loop: loop, accept: try SocketAddress(parsing: accept), upstream: try SocketAddress(parsing: connect),
            context: context, options: options)
        tunnel.handshakeTimeout = .seconds(handshakeTimeout)
        let upstream = connect
        tunnel.onUpstreamVerified = { report in
            printToStandardError(Self.verifiedLine(report, upstream: upstream))
        }
        tunnel.onConnectionFinished = { report in
            printToStandardError(Self.finishedLine(report, upstream: upstream))
        }
        var watchers: [SignalWatcher] = []
        for signal in [SIGINT, SIGTERM] {
            watchers.append(try SignalWatcher(loop: loop, signal: signal) { loop.stop() })
        }
        print("LISTEN \(tunnel.localAddress)")
        fflush(nil)  // tests wait for this line on a pipe
        loop.run()
        _ = watchers
    }

    /// The human line for an authenticated upstream, in Postfix's words: Verified (a DANE
    /// record matched) or Trusted (PKIX).
    static func verifiedLine(_ report: TunnelReport, upstream: String) -> String {
        guard let verification = report.verification else { return "TLS connection to \(upstream) established" }
        let tls = "\(verification.protocolVersion) with cipher \(verification.cipher)"
        if case .matched(let match) = verification.dane {
            let record = match.record
            return "Verified TLS connection established to \(upstream): \(tls), "
                + "TLSA \(record.usage) \(record.selector) \(record.matchingType) matched at depth \(match.depth)"
        }
        return "Trusted TLS connection established to \(upstream): \(tls)"
    }

    /// The human line when a connection ends: refused (Untrusted) or finished, with byte counts.
    static func finishedLine(_ report: TunnelReport, upstream: String) -> String {
        let bytes = "up \(report.bytesUp) down \(report.bytesDown) bytes"
        guard report.verification?.isAuthenticated ?? false else {
            return "Untrusted TLS connection to \(upstream) refused: \(report.failure ?? "not authenticated")"
        }
        if let failure = report.failure { return "disconnect from \(upstream): \(failure), \(bytes)" }
        return "disconnect from \(upstream): \(bytes)"
    }
}

/// Reads "USAGE SELECTOR MTYPE HEX" (the TLSA presentation form, RFC 6698 §2.2).
func parseTLSA(_ text: String) throws -> TLSARecord {
    let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
    guard fields.count >= 4,
        let usage = UInt8(fields[0]), let selector = UInt8(fields[1]), let matchingType = UInt8(fields[2])
    else {
        throw ValidationError("bad TLSA record '\(text)': expected 'USAGE SELECTOR MTYPE HEX'")
    }
    guard let data = Hex.decode(fields[3...].joined()), !data.isEmpty else {
        throw ValidationError("bad TLSA record '\(text)': the data must be hex digits")
    }
    return TLSARecord(usage: usage, selector: selector, matchingType: matchingType, data: data)
}
