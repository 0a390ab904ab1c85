import ArgumentParser
import DANE
import DNSWire
import Foundation
import TLS

/// `dane verify`: a certificate chain file against TLSA records, offline, with OpenSSL's DANE
/// logic.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Verify a certificate file against TLSA records, offline.")

    @Option(help: "Certificate chain file (PEM, leaf first).") var cert: String
    @Option(help: "TLSA base domain, the name DANE-TA and PKIX matches must carry (with --tlsa and no --name, no names are checked).")
    var name: String?
    @Option(parsing: .singleValue, help: "A TLSA record \"U S M HEX\" (repeatable).") var tlsa: [String] = []
    @Option(help: "Look up the TLSA records of HOST at this port.") var port: UInt16?
    @Option(help: "Transport for the TLSA name.") var proto: String = "tcp"
    @Argument(help: "Host whose TLSA records to use (with --port).") var host: String?
    @Flag(name: .customLong("no-namechecks"), help: "Check no names, not even for DANE-TA.") var noNamechecks = false
    @Option(name: .customLong("trust-store"), help: "PEM bundle of PKIX trust anchors (usages 0 and 1).") var trustStore: String?
    @Flag(help: "JSON output.") var json = false
    @OptionGroup var dns: DNSOptions

    func validate() throws {
        if tlsa.isEmpty == (port == nil) {
            throw ValidationError("give either --tlsa records or --port with a host")
        }
        if port != nil, host == nil, name == nil {
            throw ValidationError("--port needs a HOST (or --name)")
        }
        if !tlsa.isEmpty, host != nil {
            throw ValidationError("HOST goes with --port, not with --tlsa")
        }
    }

    func run() async throws {
        let pem: String
        let chain: [X509Certificate]
        do {
            pem = try String(contentsOfFile: cert, encoding: .utf8)
            chain = try X509Certificate.chain(fromPEM: pem)
        } catch {
            throw ValidationError("cannot read certificates from \(cert): \(error)")
        }
        var records: [TLSA] = []
        var baseDomain = name ?? ""
        var identifiers: [String] = []
        if !tlsa.isEmpty {
            for text in tlsa {
                do {
                    records.append(try TLSA(presentationText: text))
                } catch {
                    throw ValidationError("bad TLSA record \(text.debugDescription): \(error)")
                }
            }
        } else if let port {
            let source = try dns.makeSource()
            let hostName = host ?? name ?? ""
            guard let hostDomain = try? Name(presentation: hostName.hasSuffix(".") ? hostName : hostName + ".") else {
                throw ValidationError("bad host name \(hostName)")
            }
            let addresses = await HostAddresses.lookup(hostDomain, source: source)
            let found = await HostTLSALookup.lookup(
                host: hostDomain, port: port, service: .tls,
                expandedName: addresses.effect == .secure ? addresses.expandedName : nil, source: source)
            guard found.reason == nil || found.reason == .tlsaUnusable else {
                return try finish(reason: found.reason, detail: found.detail, match: nil, results: [])
            }
            records = found.records
            if name == nil { baseDomain = found.baseDomain.hostName }
            identifiers = found.referenceIdentifiers
        }
        let (usable, unusable) = TLSAUsability.partition(records, for: .tls)
        var results = RecordMatcher.results(usable: usable, unusable: unusable, chain: chain)
        guard !usable.isEmpty else {
            return try finish(reason: .tlsaUnusable, detail: "no usable TLSA record", match: nil, results: results)
        }
        let options = OfflineVerifier.Options(
            baseDomain: baseDomain.isEmpty ? "invalid" : baseDomain, referenceIdentifiers: identifiers,
            skipNameChecks: noNamechecks || baseDomain.isEmpty, trustStoreFile: trustStore)
        let verification: OfflineVerification
        do {
            verification = try OfflineVerifier.verify(chainPEM: pem, records: usable.map(\.openSSLRecord), options: options)
        } catch {
            throw ValidationError("\(error)")
        }
        // Records OpenSSL refused (a Full(0) record that does not parse, ...) are unusable too.
        for rejection in verification.unusableRecords {
            if let index = results.firstIndex(where: { $0.record.openSSLRecord == rejection.record }) {
                results[index] = RecordResult(record: results[index].record, outcome: .unusable(rejection.reason))
            }
        }
        try finish(
            reason: verification.reason, detail: verification.passed ? "verified" : verification.verifyResultText,
            match: verification.match, results: results)
    }

    private func finish(reason: DANEReason?, detail: String, match: DANEMatch?, results: [RecordResult]) throws {
        if json {
            var object: [String: Any] = [
                "verdict": reason == nil ? "pass" : "fail", "reason": reason?.rawValue ?? NSNull(), "detail": detail,
                "records": results.map(recordResultJSON),
            ]
            object["usage"] = match.map { Int($0.record.usage) } ?? NSNull()
            object["selector"] = match.map { Int($0.record.selector) } ?? NSNull()
            object["matchingType"] = match.map { Int($0.record.matchingType) } ?? NSNull()
            object["depth"] = match.map { $0.depth } ?? NSNull()
            printJSON(object)
        } else {
            if let match {
                print("verdict: pass (\(describe(match.record)) matched at depth \(match.depth))")
            } else {
                print("verdict: fail (\(reason?.rawValue ?? "unknown")): \(detail)")
            }
            if !results.isEmpty { print(recordTable(results)) }
        }
        let status = exitStatus(for: reason)
        if status != .success { throw status }
    }
}
