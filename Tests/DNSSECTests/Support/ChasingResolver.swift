import DNSSEC
import DNSWire

/// Answers a question as a recursive resolver answers a stub: it asks the fetcher, and while
/// the answer's CNAME/DNAME chain ends in a target without the asked data, asks a new question
/// for that target (RFC 1034 §4.3.2, RFC 6672 §3.4). The stub gets the whole chain in the
/// answer section, with the authority section and RCODE of the last response.
struct ChasingResolver {
    let fetcher: any DNSSECFetcher
    /// The most questions asked for one (a loop guard, as resolvers have).
    var maxQuestions = 16

    func resolve(_ question: Question) async -> FetchResult {
        var combined: Message? = nil
        var asked: Set<Name> = []
        var name = question.name
        while asked.count < maxQuestions, !asked.contains(name) {
            asked.insert(name)
            guard case .response(let response) = await fetcher.fetch(name, question.type) else {
                // The target cannot be asked: hand back what the chain has so far.
                return combined.map { .response($0) } ?? .failure("no answer for \(name.presentation) \(question.type)")
            }
            var message = combined ?? response
            if combined != nil {
                let known = Set(message.answers.map(\.presentation))
                message.answers += response.answers.filter { !known.contains($0.presentation) }
                message.authority = response.authority
                message.additional = response.additional
                message.rcode = response.rcode
            }
            message.questions = [question]
            combined = message
            // A CNAME question is answered by the CNAME itself; ANY by whatever is there.
            guard question.type != .cname, question.type != .any else { break }
            guard let end = Self.chain(from: question.name, in: message.answers).last,
                !message.answers.contains(where: { $0.owner == end && $0.type == question.type })
            else { break }
            name = end
        }
        return combined.map { .response($0) } ?? .failure("no question asked")
    }

    /// `name` and each CNAME or DNAME target after it in `answer`, in order, without repeats.
    static func chain(from name: Name, in answer: [Record]) -> [Name] {
        var names = [name]
        var current = name
        while names.count <= 16 {
            let next: Name?
            if let dname = answer.first(where: { $0.type == .dname && current.isProperSubdomain(of: $0.owner) }),
                let target = (dname.rdata as? DNAME)?.target
            {
                next = substitute(current, owner: dname.owner, target: target)
            } else {
                next = answer.first { $0.type == .cname && $0.owner == current }.flatMap { ($0.rdata as? CNAME)?.target }
            }
            guard let found = next, !names.contains(found) else { break }
            names.append(found)
            current = found
        }
        return names
    }

    /// `name` with its `owner` suffix replaced by `target` (RFC 6672 §2.2).
    private static func substitute(_ name: Name, owner: Name, target: Name) -> Name? {
        let prefix = name.labels.prefix(name.labelCount - owner.labelCount).map { Array($0) }
        return try? Name(labels: prefix + target.labels.map { Array($0) })
    }
}
