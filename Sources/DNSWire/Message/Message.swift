/// A DNS message (RFC 1035 §4.1): header, question and the three record sections, with the
/// OPT pseudo-record taken out of the additional section as `edns` (RFC 6891).
///
/// Decoding is strict: every malformed input is a `DNSWireError` (never a crash), bytes after
/// the last record are an error (`.trailingBytes`: a message is exactly its records, and
/// accepting junk would let two different byte strings mean the same message), a second OPT
/// or an OPT outside the additional section or with a non-root owner is `.badMessage`.
/// Section counts are trusted only as far as the input can hold them.
public struct Message: Hashable, Sendable {
    public var header: Header
    public var questions: [Question]
    public var answers: [Record]
    public var authority: [Record]
    /// The additional section without the OPT record.
    public var additional: [Record]
    public var edns: EDNS?

    public init(header: Header = Header(), questions: [Question] = [], answers: [Record] = [],
                authority: [Record] = [], additional: [Record] = [], edns: EDNS? = nil) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authority = authority
        self.additional = additional
        self.edns = edns
    }

    /// A query for one name and type, as a stub resolver sends it: RD set, and EDNS with the
    /// DO bit (RFC 3225) unless `edns` is nil.
    public static func query(id: UInt16, name: Name, type: RRType, rrClass: RRClass = .internet,
                             recursionDesired: Bool = true, checkingDisabled: Bool = false,
                             edns: EDNS? = EDNS(udpPayloadSize: 1232, dnssecOK: true)) -> Message {
        Message(header: Header(id: id, recursionDesired: recursionDesired, checkingDisabled: checkingDisabled),
                questions: [Question(name: name, type: type, rrClass: rrClass)], edns: edns)
    }

    /// The full RCODE: header bits, plus the EDNS extension as the upper 8 bits (RFC 6891
    /// §6.1.3). Setting a value over 15 on a message without EDNS adds a default EDNS.
    public var rcode: RCode {
        get { RCode(UInt16(edns?.extendedRCode ?? 0) << 4 | UInt16(header.rcodeLow)) }
        set {
            header.rcodeLow = UInt8(newValue.rawValue & 0x0F)
            if newValue.rawValue > 0x0F && edns == nil { edns = EDNS() }
            edns?.extendedRCode = UInt8(newValue.rawValue >> 4)
        }
    }

    // MARK: Decoding

    /// Decodes a whole message.
    public init(bytes: [UInt8]) throws(DNSWireError) {
        var reader = DNSReader(bytes)
        guard bytes.count >= 12 else {
            throw DNSWireError(.truncated, "message of \(bytes.count) octets is shorter than a header", offset: bytes.count)
        }
        let id = try reader.readUInt16()
        var header = Header(id: id)
        header.flags = try reader.readUInt16()
        let questionCount = Int(try reader.readUInt16())
        let answerCount = Int(try reader.readUInt16())
        let authorityCount = Int(try reader.readUInt16())
        let additionalCount = Int(try reader.readUInt16())

        // A question takes at least 5 octets and a record 11: never reserve more than fits.
        var questions: [Question] = []
        questions.reserveCapacity(min(questionCount, reader.remaining / 5))
        for _ in 0..<questionCount { questions.append(try Question(from: &reader)) }

        func section(_ count: Int) throws(DNSWireError) -> [Record] {
            var records: [Record] = []
            records.reserveCapacity(min(count, reader.remaining / 11))
            for _ in 0..<count {
                let start = reader.offset
                let record = try Record(from: &reader)
                guard record.type != .opt else {
                    throw DNSWireError(.badMessage, "OPT record outside the additional section", offset: start)
                }
                records.append(record)
            }
            return records
        }
        let answers = try section(answerCount)
        let authority = try section(authorityCount)

        var additional: [Record] = []
        additional.reserveCapacity(min(additionalCount, reader.remaining / 11))
        var edns: EDNS? = nil
        for _ in 0..<additionalCount {
            let start = reader.offset
            let record = try Record(from: &reader)
            if record.type == .opt {
                guard edns == nil else { throw DNSWireError(.badMessage, "more than one OPT record", offset: start) }
                do {
                    edns = try EDNS(opt: record)
                } catch {
                    var located = error
                    located.offset = start
                    throw located
                }
            } else {
                additional.append(record)
            }
        }
        guard reader.isAtEnd else {
            throw DNSWireError(.trailingBytes, "\(reader.remaining) octets after the last record", offset: reader.offset)
        }
        self.init(header: header, questions: questions, answers: answers, authority: authority,
                  additional: additional, edns: edns)
    }
}
