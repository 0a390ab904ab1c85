import ArgumentParser
import DANE
import DNSSEC
import DNSWire
import Foundation
import TLS

/// Lower-case hex.
func hex(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

/// Prints a JSON object (keys sorted, so output is stable).
func printJSON(_ object: Any) {
    let options: JSONSerialization.WritingOptions = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    if let data = try? JSONSerialization.data(withJSONObject: object, options: options) {
        print(String(decoding: data, as: UTF8.self))
    }
}

/// Ends the command: status 0 for nil, else the reason's category.
func exitStatus(for reason: DANEReason?) -> ExitCode {
    guard let reason else { return .success }
    return ExitCode(Int32(reason.category.rawValue))
}

func recordJSON(_ record: TLSA) -> [String: Any] {
    ["usage": Int(record.usage.rawValue), "selector": Int(record.selector.rawValue),
     "matchingType": Int(record.matchingType.rawValue), "data": hex(record.associationData)]
}

func recordResultJSON(_ result: RecordResult) -> [String: Any] {
    var object = recordJSON(result.record)
    object["matched"] = result.matched
    switch result.outcome {
    case .matched(let depth):
        object["depth"] = depth
        object["result"] = "matched"
    case .noMatch:
        object["result"] = "no-match"
    case .unusable(let reason):
        object["result"] = "unusable"
        object["detail"] = reason
    case .notChecked:
        object["result"] = "not-checked"
    }
    return object
}

func matchJSON(_ match: DANEMatch?) -> Any {
    guard let match else { return NSNull() }
    return ["usage": Int(match.record.usage), "selector": Int(match.record.selector),
            "matchingType": Int(match.record.matchingType), "depth": match.depth]
}

func chainJSON(_ chain: [ChainLink]) -> [[String: Any]] {
    chain.map { link in
        let kind: String
        switch link.kind {
        case .trustAnchor: kind = "trust-anchor"
        case .delegation: kind = "delegation"
        case .insecureDelegation: kind = "insecure-delegation"
        }
        return ["zone": link.zone.presentation, "kind": kind, "keyTags": link.keyTags.map(Int.init),
                "algorithms": link.algorithms.map(Int.init)]
    }
}

/// Each RRset an answer rested on, with its owner, type and its own DNSSEC status: the only
/// records the tool reports as looked up (DESIGN.md rule 12).
func rrsetJSON(_ sets: [ValidatedRRset]) -> [[String: Any]] {
    sets.map { set in
        let (status, records) = set.records
        var object: [String: Any] = [
            "owner": set.owner.presentation, "type": set.type.mnemonic, "status": status.name, "ttl": Int(set.ttl),
            "records": records.map(\.rdata.presentation),
        ]
        if set.isSynthesized { object["synthesized"] = true }
        return object
    }
}

/// One table row per record: usage, selector, matching type, data (shortened), result.
func recordTable(_ results: [RecordResult]) -> String {
    var lines = ["    U S M  data                                                              result"]
    for result in results {
        let data = hex(result.record.associationData)
        let shown = data.count > 64 ? String(data.prefix(61)) + "..." : data
        let outcome: String
        switch result.outcome {
        case .matched(let depth): outcome = "MATCH depth \(depth)"
        case .noMatch: outcome = "no match"
        case .unusable(let reason): outcome = "unusable: \(reason)"
        case .notChecked: outcome = "not checked"
        }
        let padded = shown.padding(toLength: 64, withPad: " ", startingAt: 0)
        lines.append("    \(result.record.usage.rawValue) \(result.record.selector.rawValue) \(result.record.matchingType.rawValue)  \(padded)  \(outcome)")
    }
    return lines.joined(separator: "\n")
}

/// "DANE-EE(3) SPKI(1) SHA2-256(1)".
func describe(_ record: TLSARecord) -> String {
    let usages = ["PKIX-TA", "PKIX-EE", "DANE-TA", "DANE-EE"]
    let selectors = ["Cert", "SPKI"]
    let matchings = ["Full", "SHA2-256", "SHA2-512"]
    func name(_ names: [String], _ value: UInt8) -> String {
        Int(value) < names.count ? "\(names[Int(value)])(\(value))" : "\(value)"
    }
    return "\(name(usages, record.usage)) \(name(selectors, record.selector)) \(name(matchings, record.matchingType))"
}
