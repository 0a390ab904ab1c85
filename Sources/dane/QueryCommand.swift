import ArgumentParser
import DANE
import DNSSEC
import DNSWire
import Foundation

/// `dane query`: a validating dig: the answer and its DNSSEC status.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "query", abstract: "Ask a question and show the DNSSEC status.")

    @Argument(help: "Owner name.") var name: String
    @Argument(help: "Record type (A, TLSA, MX, TYPE52, ...).") var type: String = "A"
    @Flag(help: "JSON output.") var json = false
    @OptionGroup var dns: DNSOptions

    func validate() throws {
        guard RRType(mnemonic: type) != nil else { throw ValidationError("unknown record type \(type)") }
    }

    func run() async throws {
        let source = try dns.makeSource()
        guard let owner = try? Name(presentation: name.hasSuffix(".") ? name : name + "."),
            let rrType = RRType(mnemonic: type)
        else {
            throw ValidationError("bad name \(name)")
        }
        switch await source.lookup(owner, rrType) {
        case .failed(let text, let timedOut):
            let reason: DANEReason = timedOut ? .timeout : .tlsaLookupFailed
            if json {
                printJSON(["name": owner.presentation, "type": rrType.mnemonic, "status": "failed", "reason": text] as [String: Any])
            } else {
                print("\(owner.presentation) \(rrType.mnemonic): lookup failed: \(text)")
            }
            throw exitStatus(for: reason)
        case .answered(let result):
            let status = result.status
            let rcode = result.rcode.map { "\($0)" } ?? "none"
            // Only the RRsets the verdict is about, each with its own status (DESIGN.md rule 12).
            let records = result.rrsets.flatMap { $0.records.records }
            if json {
                printJSON([
                    "name": owner.presentation, "type": rrType.mnemonic, "status": status.name,
                    "reason": status.reason?.description ?? NSNull(), "rcode": rcode,
                    "answers": records.map(\.presentation), "rrsets": rrsetJSON(result.rrsets), "chain": chainJSON(result.chain),
                ] as [String: Any])
            } else {
                print(";; status: \(rcode), DNSSEC: \(status)")
                if !result.chain.isEmpty { print(";; chain: " + result.chain.map(\.description).joined(separator: " -> ")) }
                for record in records { print(record.presentation) }
            }
            if status.isBogus || status.isIndeterminate { throw ExitCode(3) }
        }
    }
}
