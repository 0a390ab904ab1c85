import ArgumentParser
import DANE
import DNSSEC
import DNSWire
import Foundation

/// `dane lookup`: the TLSA names tried, their DNSSEC status and proof, and the records.
struct LookupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lookup", abstract: "Look up a host's TLSA records.")

    @Argument(help: "Host name.") var host: String
    @Option(help: "Port.") var port: UInt16 = 443
    @Option(help: "Transport.") var proto: String = "tcp"
    @Option(help: "Protocol whose usable-record rules apply (smtp, xmpp, irc, https, tls).") var service: String = "tls"
    @Flag(help: "JSON output.") var json = false
    @OptionGroup var dns: DNSOptions

    func validate() throws {
        guard ServiceProtocol(name: service) != nil else { throw ValidationError("unknown protocol \(service)") }
        guard proto == "tcp" else { throw ValidationError("only --proto tcp is supported") }
    }

    func run() async throws {
        let source = try dns.makeSource()
        guard let name = try? Name(presentation: host.hasSuffix(".") ? host : host + ".") else {
            throw ValidationError("bad host name \(host)")
        }
        let addresses = await HostAddresses.lookup(name, source: source)
        let found = await HostTLSALookup.lookup(
            host: name, port: port, service: ServiceProtocol(name: service) ?? .tls,
            expandedName: addresses.effect == .secure ? addresses.expandedName : nil, source: source)
        let reason = found.reason
        if json {
            printJSON([
                "name": found.tlsaName.presentation, "namesTried": found.namesTried.map(\.presentation),
                "status": found.status.name, "reason": reason?.rawValue ?? NSNull(), "detail": found.detail,
                "baseDomain": found.baseDomain.presentation, "referenceIdentifiers": found.referenceIdentifiers,
                "records": found.usable.map(recordJSON) + found.unusable.map { entry -> [String: Any] in
                    var object = recordJSON(entry.record)
                    object["unusable"] = entry.reason
                    return object
                },
                "chain": chainJSON(found.chain), "mode": source.mode,
                "addressStatus": addresses.status.name, "rrsets": rrsetJSON(addresses.rrsets + found.rrsets),
            ] as [String: Any])
        } else {
            print("TLSA names tried: \(found.namesTried.map(\.presentation).joined(separator: ", "))")
            print("\(found.tlsaName.presentation): \(found.status)")
            if !found.chain.isEmpty {
                print("chain: " + found.chain.map(\.description).joined(separator: " -> "))
            }
            for set in addresses.rrsets + found.rrsets { print("rrset \(set)") }
            for record in found.usable { print("  \(record.presentation)") }
            for entry in found.unusable { print("  \(entry.record.presentation)  (unusable: \(entry.reason))") }
            print(reason.map { "result: \($0.rawValue): \(found.detail)" } ?? "result: \(found.detail)")
        }
        let status = exitStatus(for: reason)
        if status != .success { throw status }
    }
}
