import DNSSEC
import DNSWire

/// A replay scenario in Unbound/Deckard's .rpl format, read as far as a validator needs it:
/// the trust anchors, `val-override-date`, `domain-insecure` and `harden-algo-downgrade` of the
/// configuration, the canned answers of every RANGE, and each `STEP QUERY` with the verdict its
/// `STEP CHECK_ANSWER` expects (AD set: secure; SERVFAIL: bogus; an answer without AD:
/// insecure, or indeterminate when no trust anchor or insecure domain covers every name of the
/// expected answer's chain).
struct ReplayScenario: Sendable {
    enum Expected: String, Sendable {
        case secure, insecure, bogus, indeterminate
    }

    struct Step: Sendable {
        var question: Question
        var expected: Expected
    }

    var trustAnchors: [Record] = []
    var date: UInt64 = 0
    /// `domain-insecure:` names.
    var insecureDomains: [Name] = []
    /// `harden-algo-downgrade:`; Unbound's default is no.
    var hardenAlgoDowngrade = false
    var entries: [LDNSEntry] = []
    var steps: [Step] = []

    init(text: String) throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        // Configuration, up to CONFIG_END.
        while index < lines.count {
            let line = lines[index].trimmingPrefixWhitespace
            index += 1
            if line.hasPrefix("CONFIG_END") { break }
            if line.hasPrefix("trust-anchor:"), let value = Self.quoted(line) {
                trustAnchors += try VectorFiles.records(value)
            } else if line.hasPrefix("val-override-date:"), let value = Self.quoted(line) {
                date = try VectorFiles.time(value)
            } else if line.hasPrefix("domain-insecure:"), let value = Self.value(line) {
                insecureDomains.append(try Name(presentation: value, origin: .root))
            } else if line.hasPrefix("harden-algo-downgrade:"), let value = Self.value(line) {
                hardenAlgoDowngrade = value == "yes"
            }
        }
        var inRange = false
        var pendingStep: String? = nil
        var pendingQuery: Question? = nil
        var block: [String]? = nil
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingPrefixWhitespace
            index += 1
            if block != nil {
                if trimmed.hasPrefix("ENTRY_END") {
                    let entry = try LDNSEntry(lines: block ?? [])
                    block = nil
                    if inRange {
                        entries.append(entry)
                    } else if pendingStep == "QUERY" {
                        pendingQuery = entry.question
                        pendingStep = nil
                    } else if pendingStep == "CHECK_ANSWER" {
                        guard let question = pendingQuery ?? entry.question else { throw TestFailure("CHECK_ANSWER without a query") }
                        let expected: Expected =
                            entry.reply.contains("SERVFAIL")
                            ? .bogus
                            : entry.reply.contains("AD") ? .secure : covers(question.name, entry.answer) ? .insecure : .indeterminate
                        steps.append(Step(question: question, expected: expected))
                        pendingStep = nil
                    }
                } else {
                    block?.append(line)
                }
                continue
            }
            let words = trimmed.split(whereSeparator: \.isWhitespace).map(String.init)
            switch words.first {
            case "RANGE_BEGIN": inRange = true
            case "RANGE_END": inRange = false
            case "ENTRY_BEGIN": block = []
            case "STEP": pendingStep = words.count > 2 ? words[2] : nil
            default: break
            }
        }
    }

    /// True when a trust anchor or an insecure domain covers `name` and every CNAME or DNAME
    /// target of the chain from it in `answer`: only then can an answer without AD be insecure
    /// rather than indeterminate.
    func covers(_ name: Name, _ answer: [Record]) -> Bool {
        let store = anchors
        return ChasingResolver.chain(from: name, in: answer).allSatisfy { link in
            store.closest(to: link) != nil || insecureDomains.contains { link.isSubdomain(of: $0) }
        }
    }

    /// The value after the colon, unquoted.
    private static func value(_ line: String) -> String? {
        if let quoted = quoted(line) { return quoted }
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let rest = line[line.index(after: colon)...].split(separator: "#", maxSplits: 1).first ?? ""
        return rest.split(whereSeparator: \.isWhitespace).first.map(String.init)
    }

    private static func quoted(_ line: String) -> String? {
        guard let start = line.firstIndex(of: "\""), let end = line.lastIndex(of: "\""), start < end else { return nil }
        return String(line[line.index(after: start)..<end])
    }

    var anchors: TrustAnchorStore {
        var store = TrustAnchorStore()
        store.add(records: trustAnchors)
        return store
    }

    var fetcher: ReplayFetcher { ReplayFetcher(entries: entries) }

    /// The scenario's configuration mapped onto the validator's settings.
    var validatorConfiguration: ValidatorConfiguration {
        var configuration = ValidatorConfiguration(requireEveryDSAlgorithm: hardenAlgoDowngrade)
        configuration.insecureDomains = insecureDomains
        return configuration
    }
}

/// Answers from the canned entries of a scenario as a recursive resolver would: of the entries
/// whose MATCH accepts the query, a final answer is preferred to a referral, and an entry that
/// names the query name to one that matches any name.
struct ReplayFetcher: DNSSECFetcher {
    let entries: [LDNSEntry]

    func fetch(_ name: Name, _ type: RRType) async -> FetchResult {
        if type == .ds, let denial = dsDenialFromReferral(name) { return .response(denial) }
        guard let entry = answer(name, type) else { return .failure("no canned answer for \(name.presentation) \(type)") }
        var message = entry.message
        message.questions = [Question(name: name, type: type)]
        return .response(message)
    }

    /// A resolver that followed a referral to `name` knows from it (the parent's NSEC/NSEC3 in
    /// the referral's authority section) that there is no DS, and answers a DS query from that
    /// negative cache. Used when no entry answers the DS query itself.
    func dsDenialFromReferral(_ name: Name) -> Message? {
        if let direct = answer(name, .ds), !direct.isReferral, direct.question?.name == name { return nil }
        for entry in entries where entry.isReferral && entry.authority.contains(where: { $0.type == .ns && $0.owner == name }) {
            let proof = entry.authority.filter { record in
                if [RRType.nsec, .nsec3].contains(record.type) { return true }
                if let rrsig = record.rdata as? RRSIG { return [RRType.nsec, .nsec3].contains(rrsig.typeCovered) }
                return false
            }
            guard !proof.isEmpty else { continue }
            return Message(
                header: Header(isResponse: true), questions: [Question(name: name, type: .ds)], authority: proof)
        }
        return nil
    }

    func answer(_ name: Name, _ type: RRType) -> LDNSEntry? {
        var best: (score: Int, entry: LDNSEntry)? = nil
        for entry in entries {
            guard let question = entry.question else { continue }
            if entry.match.contains("qname") && question.name != name { continue }
            if entry.match.contains("qtype") && question.type != type { continue }
            if entry.match.contains("subdomain") && !name.isSubdomain(of: question.name) { continue }
            var score = entry.isReferral ? 0 : 4
            if entry.match.contains("qname") || question.name == name { score += 2 }
            if entry.match.contains("qtype") || question.type == type { score += 1 }
            if score > (best?.score ?? -1) { best = (score, entry) }
        }
        return best?.entry
    }
}
