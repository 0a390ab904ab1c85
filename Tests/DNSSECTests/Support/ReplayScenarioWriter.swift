import DNSSEC
import DNSWire

/// Writes a replay scenario in Unbound's .rpl format from data signed in the test, so that
/// scenarios of shapes the copied corpus lacks (CNAME and DNAME chains across zone cuts,
/// several anchors, domain-insecure, harden-algo-downgrade) go through the same parser and
/// harness as Unbound's own.
struct ReplayScenarioWriter {
    var configuration: [String] = []
    var entries: [String] = []
    var steps: [String] = []

    init(anchors: [Record], date: UInt32, options: [String] = []) {
        configuration = ["server:"] + anchors.map { "\ttrust-anchor: \"\($0.presentation)\"" }
            + ["\tval-override-date: \"\(DNSSECTime.format(date))\""] + options.map { "\t" + $0 }
    }

    /// A canned answer for exactly `question`.
    mutating func entry(_ question: Question, _ response: Message) {
        let rcode = response.rcode == .nxDomain ? "NXDOMAIN" : "NOERROR"
        entries.append(Self.block(
            ["MATCH opcode qtype qname", "ADJUST copy_id", "REPLY QR AA \(rcode)"], question: question, response))
    }

    /// A query and the answer Unbound would give: AD for `secure`, SERVFAIL for `bogus`, neither
    /// for `insecure` or `indeterminate`; `answer` is the chain the stub gets.
    mutating func step(_ question: Question, expect: ReplayScenario.Expected, answer: [Record] = []) {
        let number = steps.count * 10 + 1
        steps.append("STEP \(number) QUERY\n" + Self.block(["REPLY RD DO"], question: question, Message()))
        let flags = switch expect {
        case .secure: "QR RD RA AD DO NOERROR"
        case .bogus: "QR RD RA DO SERVFAIL"
        case .insecure, .indeterminate: "QR RD RA DO NOERROR"
        }
        var checked = Message()
        checked.answers = expect == .bogus ? [] : answer
        steps.append("STEP \(number + 1) CHECK_ANSWER\n" + Self.block(["MATCH all", "REPLY \(flags)"], question: question, checked))
    }

    var text: String {
        (configuration + ["CONFIG_END", "", "SCENARIO_BEGIN written by ReplayScenarioWriter", "RANGE_BEGIN 0 100", "\tADDRESS 192.0.2.1"]
            + entries + ["RANGE_END", ""] + steps + ["SCENARIO_END"]).joined(separator: "\n") + "\n"
    }

    private static func block(_ head: [String], question: Question, _ message: Message) -> String {
        var lines = ["ENTRY_BEGIN"] + head + ["SECTION QUESTION", "\(question.name.presentation) IN \(question.type.mnemonic)"]
        lines += ["SECTION ANSWER"] + message.answers.map(\.presentation)
        lines += ["SECTION AUTHORITY"] + message.authority.map(\.presentation)
        lines += ["ENTRY_END"]
        return lines.joined(separator: "\n")
    }
}

/// A fetcher that answers some questions with given responses and the rest from another
/// fetcher, and notes every question it answered with its response: the entries of a scenario.
final class RecordingFetcher: DNSSECFetcher, @unchecked Sendable {
    let overrides: [String: Message]
    let fallback: any DNSSECFetcher
    private let lock = NSLockLike()
    private var answered: [(Question, Message)] = []

    init(overrides: [(Question, Message)], fallback: any DNSSECFetcher) {
        self.overrides = Dictionary(overrides.map { ("\($0.0.name.presentation) \($0.0.type)", $0.1) }) { first, _ in first }
        self.fallback = fallback
    }

    var exchanges: [(Question, Message)] { lock.locked { answered } }

    func fetch(_ name: Name, _ type: RRType) async -> FetchResult {
        let question = Question(name: name, type: type)
        let result: FetchResult
        if let message = overrides["\(name.presentation) \(type)"] {
            result = .response(message)
        } else {
            result = await fallback.fetch(name, type)
        }
        if case .response(let message) = result {
            lock.locked {
                if !answered.contains(where: { $0.0.name == name && $0.0.type == type }) { answered.append((question, message)) }
            }
        }
        return result
    }
}
