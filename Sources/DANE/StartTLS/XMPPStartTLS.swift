/// XMPP STARTTLS (RFC 6120 §5.4) from the client side: open a stream to the service domain,
/// read `<stream:features>` and require `<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>`
/// in it, send `<starttls/>`, expect `<proceed/>`. Bytes after `<proceed/>` are response
/// injection (`starttls-injection`, DESIGN rule 2).
public struct XMPPStartTLS: StartTLSNegotiator, Sendable {
    public static let tlsNamespace = "urn:ietf:params:xml:ns:xmpp-tls"

    enum State: Sendable, Equatable {
        case awaitingStreamHeader
        case readingFeatures(depth: Int)
        case awaitingProceed
        case inProceed
        case done
        case failed
    }

    /// The service domain (the `to` of our stream header; RFC 7673: also the SNI name).
    public let domain: String
    private(set) var state: State = .awaitingStreamHeader
    private var scanner = XMLTagScanner()
    private var starttlsOffered = false

    public init(domain: String) {
        self.domain = domain
    }

    /// Our stream header (RFC 6120 §4.7).
    public var streamHeader: [UInt8] {
        Array(
            ("<?xml version='1.0'?><stream:stream to='\(Self.escaped(domain))' version='1.0' "
                + "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>").utf8)
    }

    public mutating func start() -> NegotiationStep { .send(streamHeader) }

    public mutating func receive(_ bytes: [UInt8]) -> NegotiationStep {
        guard state != .done, state != .failed else {
            return fail(.starttlsInjection, "server sent data after <proceed/>")
        }
        do {
            try scanner.append(bytes)
            var reply: NegotiationStep = .wait
            while let event = try scanner.next() {
                reply = try handle(event)
                switch reply {
                case .wait: continue
                case .send:
                    // Nothing may follow </stream:features> before our <starttls/> is answered.
                    if !scanner.pendingBytes.allSatisfy(Self.isWhitespace) {
                        return fail(.starttlsNotSupported, "server sent data before our <starttls/>")
                    }
                    return reply
                case .startTLS:
                    if !scanner.pendingBytes.isEmpty {
                        return fail(.starttlsInjection, "server sent \(scanner.pendingBytes.count) bytes after <proceed/>")
                    }
                    return reply
                case .failed:
                    return reply
                }
            }
            return reply
        } catch {
            state = .failed
            return .failed(error)
        }
    }

    public mutating func receiveEndOfStream() -> NegotiationStep {
        if state == .done { return .wait }
        return fail(.starttlsNotSupported, "the server closed the connection during the XMPP exchange")
    }

    private mutating func handle(_ event: XMLTagScanner.Event) throws(NegotiationFailure) -> NegotiationStep {
        if case .start(_, _, _) = event, event.localName == "error" {
            return fail(.starttlsNotSupported, "the server sent a stream error")
        }
        if case .end = event, event.localName == "stream" {
            return fail(.starttlsNotSupported, "the server closed the stream")
        }
        switch state {
        case .awaitingStreamHeader:
            guard case .start(_, _, let selfClosing) = event, event.localName == "stream", !selfClosing else {
                return fail(.starttlsNotSupported, "expected <stream:stream>, got \(event)")
            }
            state = .readingFeatures(depth: 0)
            return .wait
        case .readingFeatures(let depth):
            switch event {
            case .start(_, let attributes, let selfClosing):
                if depth == 0 {
                    guard event.localName == "features" else {
                        return fail(.starttlsNotSupported, "expected <stream:features>, got \(event)")
                    }
                    if selfClosing { return featuresEnded() }
                    state = .readingFeatures(depth: 1)
                } else {
                    if depth == 1, event.localName == "starttls", attributes["xmlns"] == Self.tlsNamespace {
                        starttlsOffered = true
                    }
                    if !selfClosing {
                        guard depth < 16 else { return fail(.starttlsNotSupported, "stream features nested too deep") }
                        state = .readingFeatures(depth: depth + 1)
                    }
                }
                return .wait
            case .end:
                guard depth > 0 else { return fail(.starttlsNotSupported, "unexpected end tag \(event)") }
                if depth == 1 { return featuresEnded() }
                state = .readingFeatures(depth: depth - 1)
                return .wait
            }
        case .awaitingProceed:
            guard case .start(_, let attributes, let selfClosing) = event, attributes["xmlns"] == Self.tlsNamespace
                || attributes["xmlns"] == nil
            else {
                return fail(.starttlsNotSupported, "expected <proceed/>, got \(event)")
            }
            switch event.localName {
            case "proceed":
                if selfClosing { return proceed() }
                state = .inProceed
                return .wait
            case "failure":
                return fail(.starttlsNotSupported, "the server answered <starttls/> with <failure/>")
            default:
                return fail(.starttlsNotSupported, "expected <proceed/>, got \(event)")
            }
        case .inProceed:
            guard case .end = event, event.localName == "proceed" else {
                return fail(.starttlsNotSupported, "unexpected content in <proceed>")
            }
            return proceed()
        case .done:
            return fail(.starttlsInjection, "server sent data after <proceed/>")
        case .failed:
            return .failed(NegotiationFailure(.starttlsNotSupported, "failed"))
        }
    }

    private mutating func featuresEnded() -> NegotiationStep {
        guard starttlsOffered else {
            return fail(.starttlsNotSupported, "the stream features do not offer <starttls/>")
        }
        state = .awaitingProceed
        return .send(Array("<starttls xmlns='\(Self.tlsNamespace)'/>".utf8))
    }

    private mutating func proceed() -> NegotiationStep {
        state = .done
        return .startTLS
    }

    private mutating func fail(_ reason: DANEReason, _ detail: String) -> NegotiationStep {
        state = .failed
        return .failed(NegotiationFailure(reason, detail))
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The domain inside a single-quoted attribute.
    private static func escaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "'": escaped += "&apos;"
            case "<": escaped += "&lt;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
