import DNSWire

/// Whether a response answers our query (RFC 5452 §4.3, §9.1): it must be a response (QR),
/// to a standard query, with our ID and exactly our question: name (without regard to case,
/// RFC 4343), type and class. The source address is checked by the transport before this.
enum ResponseMatcher {
    /// The message ID, read without decoding the rest, so that stray datagrams cost little.
    static func peekID(_ bytes: UnsafeRawBufferPointer) -> UInt16? {
        guard bytes.count >= 12 else { return nil }
        return UInt16(bytes[0]) << 8 | UInt16(bytes[1])
    }

    /// Nil when `response` answers the query; otherwise why not. `question` is the question as
    /// sent; with `exactCase` (0x20 randomisation) the echoed name must keep its case too.
    static func mismatch(_ response: Message, id: UInt16, question: Question, exactCase: Bool = false) -> String? {
        let header = response.header
        if header.id != id { return "ID \(header.id) instead of \(id)" }
        if !header.isResponse { return "QR bit not set" }
        if header.opcode != .query { return "opcode \(header.opcode)" }
        guard response.questions.count == 1, let echoed = response.questions.first else {
            return "\(response.questions.count) questions instead of 1"
        }
        if echoed.name != question.name || echoed.type != question.type || echoed.rrClass != question.rrClass {
            return "question '\(echoed)' instead of '\(question)'"
        }
        if exactCase && !echoed.name.isIdentical(to: question.name) {
            return "question name '\(echoed.name)' lost the case of '\(question.name)' (0x20)"
        }
        return nil
    }
}

/// What a response must echo to answer one query we sent: its ID and its question as sent,
/// with the 0x20 case when `exactCase`.
struct SentQuery {
    let id: UInt16
    let question: Question
    let exactCase: Bool

    /// Nil when `response` answers this query; otherwise why not.
    func mismatch(_ response: Message) -> String? {
        ResponseMatcher.mismatch(response, id: id, question: question, exactCase: exactCase)
    }
}
