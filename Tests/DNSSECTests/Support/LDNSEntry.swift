import DNSSEC
import DNSWire

/// One `ENTRY_BEGIN ... ENTRY_END` block of ldns-testns data, the format of Unbound's
/// test_sigs/test_ds files and of .rpl replay scenarios.
struct LDNSEntry: Sendable {
    var match: Set<String> = []
    var reply: Set<String> = []
    var question: Question?
    var answer: [Record] = []
    var authority: [Record] = []
    var additional: [Record] = []

    /// True for a referral: no answer, NS in the authority section and no SOA.
    var isReferral: Bool {
        answer.isEmpty && authority.contains { $0.type == .ns } && !authority.contains { $0.type == .soa }
    }

    var rcode: RCode {
        if reply.contains("NXDOMAIN") { return .nxDomain }
        if reply.contains("SERVFAIL") { return .servFail }
        if reply.contains("REFUSED") { return .refused }
        if reply.contains("FORMERR") { return .formErr }
        return .noError
    }

    /// The entry as a response message.
    var message: Message {
        var message = Message(
            header: Header(isResponse: true, isAuthoritative: reply.contains("AA"), authenticData: reply.contains("AD")),
            questions: question.map { [$0] } ?? [], answers: answer, authority: authority, additional: additional)
        message.rcode = rcode
        return message
    }

    /// Parses the lines between ENTRY_BEGIN and ENTRY_END.
    init(lines: [String]) throws {
        var section = ""
        var buffer: [String] = []
        func flush() throws {
            defer { buffer = [] }
            let text = buffer.joined(separator: "\n")
            switch section {
            case "QUESTION":
                for line in buffer {
                    let fields = line.split(separator: ";", maxSplits: 1).first.map { $0.split(whereSeparator: \.isWhitespace) } ?? []
                    guard !fields.isEmpty else { continue }
                    guard let typeText = fields.last, let type = RRType(mnemonic: String(typeText)) else {
                        throw TestFailure("bad question line: \(line)")
                    }
                    question = Question(name: try Name(presentation: String(fields[0]), origin: .root), type: type)
                }
            case "ANSWER": answer += try VectorFiles.records(text)
            case "AUTHORITY": authority += try VectorFiles.records(text)
            case "ADDITIONAL": additional += try VectorFiles.records(text)
            default: break
            }
        }
        for raw in lines {
            let line = raw.trimmingPrefixWhitespace
            let words = line.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first
                .map { $0.split(whereSeparator: \.isWhitespace).map(String.init) } ?? []
            switch words.first {
            case "MATCH": match.formUnion(words.dropFirst())
            case "REPLY": reply.formUnion(words.dropFirst())
            case "ADJUST": continue
            case "SECTION":
                try flush()
                section = words.count > 1 ? words[1] : ""
            default:
                buffer.append(line)
            }
        }
        try flush()
    }

    /// Every entry of a file (anything outside ENTRY blocks is ignored).
    static func entries(in text: String) throws -> [LDNSEntry] {
        var result: [LDNSEntry] = []
        var current: [String]? = nil
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.trimmingPrefixWhitespace
            if trimmed.hasPrefix("ENTRY_BEGIN") {
                current = []
            } else if trimmed.hasPrefix("ENTRY_END") {
                if let lines = current { result.append(try LDNSEntry(lines: lines)) }
                current = nil
            } else {
                current?.append(line)
            }
        }
        return result
    }
}

extension String {
    var trimmingPrefixWhitespace: String {
        String(drop { $0 == " " || $0 == "\t" })
    }
}
