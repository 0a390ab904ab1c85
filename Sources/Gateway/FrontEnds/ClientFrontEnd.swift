import DANE

/// What a front end learned from the client's first bytes.
enum ClientPrelude: Equatable {
    /// More bytes are needed.
    case needMore
    /// The client named the service domain (XMPP `to=`); nil when the protocol names none.
    case ready(domain: String?)
    /// The bytes cannot be the protocol's opening (DESIGN rule 11: a clear refusal).
    case invalid(String)
}

/// The protocol-specific part of a client connection (DESIGN "Protocols"): what must be read
/// from the client before planning, what the client gets once the upstream is verified, and
/// what it sees when the connection is refused.
protocol ClientFrontEnd {
    /// True when planning must wait for the client's opening (XMPP with `srv:*`).
    var needsPrelude: Bool { get }
    /// Looks at every early byte received so far.
    mutating func examine(_ early: [UInt8]) -> ClientPrelude
    /// Bytes for the client once the upstream is authenticated, before the relay starts
    /// (the SMTP greeting that was held back).
    func greeting(for session: UpstreamSession) -> [UInt8]
    /// What a refused client reads before the close.
    func refusal(_ reason: String) -> [UInt8]
    /// Rewrites client bytes on their way upstream (HTTP Host); nil: the bytes are untouched.
    func makeRequestRewriter(targetHost: String, port: UInt16) -> HTTPRequestRewriter?
}

extension ClientFrontEnd {
    var needsPrelude: Bool { false }
    mutating func examine(_ early: [UInt8]) -> ClientPrelude { .ready(domain: nil) }
    func greeting(for session: UpstreamSession) -> [UInt8] { [] }
    func makeRequestRewriter(targetHost: String, port: UInt16) -> HTTPRequestRewriter? { nil }
}

enum ClientFrontEnds {
    static func make(_ service: ServiceProtocol, needsDomain: Bool) -> any ClientFrontEnd {
        switch service {
        case .smtp: SMTPFrontEnd()
        case .xmpp: XMPPFrontEnd(needsPrelude: needsDomain)
        case .irc: IRCFrontEnd()
        case .https: HTTPFrontEnd()
        case .tls: TLSFrontEnd()
        }
    }

    /// Reasons travel in protocol lines: printable ASCII only, bounded.
    static func lineSafe(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { (0x20..<0x7F).contains($0.value) ? $0 : "?" }).prefix(200))
    }
}

/// SMTP (RFC 5321, DESIGN "Protocols"): the server's greeting is held until the upstream is
/// verified; a refused client's first line is `421 4.7.5 <reason>` (RFC 3463 4.7.5:
/// cryptographic failure).
struct SMTPFrontEnd: ClientFrontEnd {
    func greeting(for session: UpstreamSession) -> [UInt8] { session.greeting ?? [] }

    func refusal(_ reason: String) -> [UInt8] {
        Array("421 4.7.5 \(ClientFrontEnds.lineSafe(reason))\r\n".utf8)
    }
}

/// IRC (RFC 7194 upstream): a refused client gets `ERROR :<reason>` (RFC 2812 §3.7.4).
struct IRCFrontEnd: ClientFrontEnd {
    func refusal(_ reason: String) -> [UInt8] {
        Array("ERROR :\(ClientFrontEnds.lineSafe(reason))\r\n".utf8)
    }
}

/// Any protocol over direct TLS: bytes untouched, a refused client sees a plain close.
struct TLSFrontEnd: ClientFrontEnd {
    func refusal(_ reason: String) -> [UInt8] { [] }
}

/// HTTP/1.1 (RFC 9112): every request's Host is the target host; a refused client gets
/// `502 Bad Gateway` with the reason as a short body (RFC 9110 §15.6.3).
struct HTTPFrontEnd: ClientFrontEnd {
    func refusal(_ reason: String) -> [UInt8] {
        let body = "danegate refused the upstream connection: \(ClientFrontEnds.lineSafe(reason))\n"
        return Array(
            ("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\n"
                + "Connection: close\r\n\r\n" + body).utf8)
    }

    func makeRequestRewriter(targetHost: String, port: UInt16) -> HTTPRequestRewriter? {
        HTTPRequestRewriter(host: port == 443 ? targetHost : "\(targetHost):\(port)")
    }
}
