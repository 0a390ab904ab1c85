import DNSWire

/// Turns query bytes into response bytes for one transport: decoding, the FORMERR answer to
/// a malformed query whose header is readable, and the size limit of the transport with
/// truncation (RFC 1035 §4.2.1, RFC 6891 §6.2.5, RFC 2181 §9).
public struct QueryResponder: Sendable {
    public enum Transport: Sendable { case udp, tcp }

    public var answerer: QueryAnswerer
    /// The largest UDP response we send, whatever the client offers.
    public var maxUDPResponse: Int

    public init(answerer: QueryAnswerer, maxUDPResponse: Int = 1232) {
        self.answerer = answerer
        self.maxUDPResponse = maxUDPResponse
    }

    /// The response, or nil when nothing should be sent: fewer bytes than a header (there is
    /// no ID to answer to) or a message that is itself a response (answering those could
    /// make two servers answer each other forever).
    public func respond(to bytes: [UInt8], transport: Transport) -> [UInt8]? {
        guard bytes.count >= 12 else { return nil }
        guard bytes[2] & 0x80 == 0 else { return nil }
        let query: Message
        do {
            query = try Message(bytes: bytes)
        } catch {
            return Self.formatError(for: bytes)
        }
        let response = answerer.answer(query: query)
        let limit: Int
        switch transport {
        case .tcp:
            limit = 65535
        case .udp:
            // Without EDNS a client takes 512 octets (RFC 1035 §2.3.4).
            let offered = query.edns?.effectivePayloadSize ?? 512
            limit = max(512, min(offered, maxUDPResponse))
        }
        do {
            return try response.encode(maxSize: limit)
        } catch {
            var failure = Message(header: response.header, questions: response.questions, edns: response.edns)
            failure.rcode = .servFail
            return try? failure.encode(maxSize: limit)
        }
    }

    /// FORMERR with the query's ID and opcode and no sections (RFC 1035 §4.1.1: the question
    /// may not be readable).
    static func formatError(for bytes: [UInt8]) -> [UInt8] {
        let opcode = (bytes[2] >> 3) & 0x0F
        let recursionDesired = bytes[2] & 0x01
        return [
            bytes[0], bytes[1],
            0x80 | opcode << 3 | recursionDesired,
            0x01,  // RCODE FORMERR
            0, 0, 0, 0, 0, 0, 0, 0,
        ]
    }
}
