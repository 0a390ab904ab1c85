/// SMTP STARTTLS (RFC 3207) from the client side: read the 220 greeting (possibly multi-line),
/// send EHLO, require STARTTLS among the extensions of the 250 reply, send STARTTLS, expect 220.
/// Anything the server sent after that 220 is response injection (`starttls-injection`, DESIGN
/// rule 2); no STARTTLS in the EHLO reply is a downgrade (`starttls-not-supported`, rule 6).
public struct SMTPStartTLS: StartTLSNegotiator, Sendable {
    enum State: Sendable, Equatable {
        case awaitingGreeting
        case awaitingEHLOReply
        case awaitingStartTLSReply
        case done
        case failed
    }

    /// The name we give in EHLO (RFC 5321 §4.1.1.1: our FQDN or an address literal).
    public let clientName: String
    private(set) var state: State = .awaitingGreeting
    private var reader = SMTPReplyReader()
    /// The server's greeting as received, for the gateway to hand its client after verification.
    public private(set) var greeting: SMTPReply?
    /// The EHLO keywords the server announced (upper-cased).
    public private(set) var extensions: [String] = []

    public init(clientName: String = "danegate.invalid") {
        self.clientName = clientName
    }

    public mutating func start() -> NegotiationStep { .wait }

    public mutating func receive(_ bytes: [UInt8]) -> NegotiationStep {
        guard state != .done, state != .failed else {
            return fail(.starttlsInjection, "server sent data after the STARTTLS go-ahead")
        }
        reader.append(bytes)
        do {
            guard let reply = try reader.nextReply() else { return .wait }
            return try handle(reply)
        } catch {
            state = .failed
            return .failed(error)
        }
    }

    public mutating func receiveEndOfStream() -> NegotiationStep {
        switch state {
        case .done: return .wait
        case .failed: return .failed(NegotiationFailure(.starttlsNotSupported, "failed"))
        default: return fail(.starttlsNotSupported, "the server closed the connection during the SMTP exchange")
        }
    }

    private mutating func handle(_ reply: SMTPReply) throws(NegotiationFailure) -> NegotiationStep {
        // The server speaks only when spoken to (RFC 5321 §4.3.1): a second reply before our
        // next command is out of step.
        let unsolicited = !reader.pendingBytes.isEmpty
        switch state {
        case .awaitingGreeting:
            guard reply.code == 220 else {
                return fail(.starttlsNotSupported, "greeting was \(reply.code): \(reply.lines.first ?? "")")
            }
            if unsolicited { return fail(.starttlsNotSupported, "server sent data before our EHLO") }
            greeting = reply
            state = .awaitingEHLOReply
            return .send(Array("EHLO \(clientName)\r\n".utf8))
        case .awaitingEHLOReply:
            guard reply.code == 250 else {
                return fail(.starttlsNotSupported, "EHLO was answered \(reply.code): \(reply.lines.first ?? "")")
            }
            if unsolicited { return fail(.starttlsNotSupported, "server sent data before our STARTTLS") }
            // The first line greets; each later line is one extension keyword and parameters.
            // Keywords are ASCII and compared case-insensitively in ASCII only (RFC 5321 §2.4):
            // full Unicode upper-casing would read "ſtarttlſ" (U+017F) as STARTTLS.
            extensions = reply.lines.dropFirst().map { line in
                let keyword = line.split(separator: " ", maxSplits: 1).first ?? ""
                return String(decoding: keyword.utf8.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }, as: UTF8.self)
            }
            guard extensions.contains("STARTTLS") else {
                return fail(.starttlsNotSupported, "the EHLO reply does not offer STARTTLS")
            }
            state = .awaitingStartTLSReply
            return .send(Array("STARTTLS\r\n".utf8))
        case .awaitingStartTLSReply:
            guard reply.code == 220 else {
                return fail(.starttlsNotSupported, "STARTTLS was answered \(reply.code): \(reply.lines.first ?? "")")
            }
            if unsolicited {
                return fail(.starttlsInjection, "server sent \(reader.pendingBytes.count) bytes after its STARTTLS go-ahead")
            }
            state = .done
            return .startTLS
        case .done, .failed:
            return fail(.starttlsInjection, "server sent data after the STARTTLS go-ahead")
        }
    }

    private mutating func fail(_ reason: DANEReason, _ detail: String) -> NegotiationStep {
        state = .failed
        return .failed(NegotiationFailure(reason, detail))
    }
}
