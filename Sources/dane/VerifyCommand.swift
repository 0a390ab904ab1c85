import ArgumentParser
import DANE
import DNSWire
import Foundation
import TLS

/// `dane verify`: a certificate chain file against TLSA records, offline, with OpenSSL's DANE
/// logic, deciding as `openssl s_client -dane_tlsa_rrdata` would for the same chain: names are
/// checked for DANE-TA(2) and PKIX matches, for DANE-EE(3) matches only with
/// `--dane-ee-namechecks` (RFC 7671 §5.1 leaves that to the application; OpenSSL checks by
/// default, `-dane_ee_no_namechecks` turns it off).
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Verify a certificate file against TLSA records, offline.")

    @Option(help: "Certificate chain file (PEM, leaf first).") var cert: String
    @Option(help: "TLSA base domain, the name DANE-TA and PKIX matches must carry (with --tlsa and no --name, no names are checked).")
    var name: String?
    @Option(name: .customLong("reference-name"), parsing: .singleValue,
            help: "Another name a DANE-TA or PKIX match may carry instead (RFC 7672 §3.2.3; repeatable).")
    var referenceNames: [String] = []
    @Option(parsing: .singleValue, help: "A TLSA record \"U S M HEX\" (repeatable).") var tlsa: [String] = []
    @Option(help: "Look up the TLSA records of HOST at this port.") var port: UInt16?
    @Option(help: "Transport for the TLSA name.") var proto: String = "tcp"
    @Argument(help: "Host whose TLSA records to use (with --port).") var host: String?
    @Flag(name: .customLong("dane-ee-namechecks"),
          help: "Check names for DANE-EE(3) matches too, as OpenSSL does by default (useful for HTTPS).")
    var daneEENamechecks = false
    @Flag(name: .customLong("no-namechecks"),
          help: "Check no names at all: not for DANE-EE, DANE-TA or PKIX matches.")
    var noNamechecks = false
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
        if daneEENamechecks, noNamechecks {
            throw ValidationError("--dane-ee-namechecks and --no-namechecks contradict each other")
        }
        if daneEENamechecks || !referenceNames.isEmpty, name == nil, host == nil {
            throw ValidationError("names can be checked only with --name (or a HOST)")
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
        var identifiers: [String] = referenceNames
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
            identifiers = found.referenceIdentifiers + referenceNames
        }
        let (usable, unusable) = TLSAUsability.partition(records, for: .tls)
        var results = RecordMatcher.results(usable: usable, unusable: unusable, chain: chain)
        guard !usable.isEmpty else {
            return try finish(reason: .tlsaUnusable, detail: "no usable TLSA record", match: nil, results: results)
        }
        let options = OfflineVerifier.Options(
            baseDomain: baseDomain.isEmpty ? "invalid" : baseDomain, referenceIdentifiers: identifiers,
            skipNameChecks: noNamechecks || baseDomain.isEmpty, skipDANEEENameChecks: !daneEENamechecks,
            trustStoreFile: trustStore)
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
        // With no usable record OpenSSL's DANE is off (DESIGN rule 9): no verify result to show.
        let ran = !verification.usableRecords.isEmpty
        try finish(
            reason: verification.reason, detail: verification.passed ? "verified" : verification.verifyResultText,
            match: verification.match, results: results,
            verifyError: ran ? (verification.verifyResult, verification.verifyResultText, verification.errorDepth) : nil)
    }

    /// Prints the verdict. `match` is the record OpenSSL matched, also when a later check failed
    /// (then `reason` says which); `verifyError` is OpenSSL's verify result when it ran.
    private func finish(
        reason: DANEReason?, detail: String, match: DANEMatch?, results: [RecordResult],
        verifyError: (code: Int32, text: String, depth: Int?)? = nil
    ) throws {
        if json {
            var object: [String: Any] = [
                "verdict": reason == nil ? "pass" : "fail", "reason": reason?.rawValue ?? NSNull(), "detail": detail,
                "records": results.map(recordResultJSON),
            ]
            object["usage"] = match.map { Int($0.record.usage) } ?? NSNull()
            object["selector"] = match.map { Int($0.record.selector) } ?? NSNull()
            object["matchingType"] = match.map { Int($0.record.matchingType) } ?? NSNull()
            object["depth"] = match.map { $0.depth } ?? NSNull()
            object["verifyError"] = verifyError.map { Int($0.code) } ?? NSNull()
            object["verifyErrorText"] = verifyError?.text ?? NSNull()
            object["errorDepth"] = verifyError?.depth ?? NSNull()
            printJSON(object)
        } else {
            if reason == nil, let match {
                print("verdict: pass (\(describe(match.record)) matched at depth \(match.depth))")
            } else {
                print("verdict: fail (\(reason?.rawValue ?? "unknown")): \(detail)")
                if let verifyError, verifyError.code != 0 {
                    print("  OpenSSL verify error \(verifyError.code) at depth \(verifyError.depth.map(String.init) ?? "-"): \(verifyError.text)")
                }
                if let match {
                    print("  before that, \(describe(match.record)) matched at depth \(match.depth)")
                }
            }
            if !results.isEmpty { print(recordTable(results)) }
        }
        let status = exitStatus(for: reason)
        if status != .success { throw status }
    }
}
