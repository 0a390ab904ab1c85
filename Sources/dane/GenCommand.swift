import ArgumentParser
import DANE
import DNSWire
import Foundation
import TLS

/// `dane gen`: a TLSA record for a certificate, like hash-slinger's `tlsa --create`.
struct GenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gen", abstract: "Generate a TLSA record from a certificate.")

    @Option(help: "Certificate file (PEM; the first certificate is used).") var cert: String
    @Option(help: "Certificate usage (0-3).") var usage: UInt8 = 3
    @Option(help: "Selector (0 full certificate, 1 SubjectPublicKeyInfo).") var selector: UInt8 = 1
    @Option(help: "Matching type (0 exact, 1 SHA-256, 2 SHA-512).") var mtype: UInt8 = 1
    @Option(help: "Host name for the owner name.") var host: String?
    @Option(help: "Port for the owner name.") var port: UInt16 = 443
    @Option(help: "Transport for the owner name.") var proto: String = "tcp"
    @Flag(help: "JSON output.") var json = false

    func validate() throws {
        guard usage <= 3 else { throw ValidationError("--usage must be 0, 1, 2 or 3") }
        guard selector <= 1 else { throw ValidationError("--selector must be 0 or 1") }
        guard mtype <= 2 else { throw ValidationError("--mtype must be 0, 1 or 2") }
        guard ["tcp", "udp", "sctp"].contains(proto) else { throw ValidationError("--proto must be tcp, udp or sctp") }
    }

    func run() throws {
        let pem: String
        let certificate: X509Certificate
        do {
            pem = try String(contentsOfFile: cert, encoding: .utf8)
            certificate = try X509Certificate(pem: pem)
        } catch {
            throw ValidationError("cannot read a certificate from \(cert): \(error)")
        }
        guard let record = TLSAGenerator.record(
            for: certificate, usage: .init(rawValue: usage), selector: .init(rawValue: selector),
            matchingType: .init(rawValue: mtype))
        else {
            throw ValidationError("cannot compute the record")
        }
        var owner: String? = nil
        if let host {
            do {
                owner = try TLSAName.name(port: port, transport: proto, host: host).presentation
            } catch {
                throw ValidationError("bad host name \(host): \(error)")
            }
        }
        if json {
            var object = recordJSON(record)
            object["name"] = owner ?? NSNull()
            printJSON(object)
        } else if let owner {
            print("\(owner) IN TLSA \(record.presentation)")
        } else {
            print(record.presentation)
        }
    }
}
