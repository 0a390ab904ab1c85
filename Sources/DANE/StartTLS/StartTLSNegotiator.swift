/// A STARTTLS exchange as a pure state machine: bytes from the server in, one step out, no I/O,
/// so the `dane` tool and the gateway drive the same code over their own sockets.
///
/// The driver sends what `.send` gives, feeds every byte the server sends, and starts the TLS
/// handshake only on `.startTLS`: by then the negotiator has checked that the server sent
/// nothing beyond its go-ahead (DESIGN rule 2). Bytes arriving later belong to TLS.
public protocol StartTLSNegotiator {
    /// What to do before the server has said anything (XMPP opens its stream; SMTP waits).
    mutating func start() -> NegotiationStep
    /// Takes bytes from the server.
    mutating func receive(_ bytes: [UInt8]) -> NegotiationStep
    /// The server closed the connection.
    mutating func receiveEndOfStream() -> NegotiationStep
}

/// What the driver does next.
public enum NegotiationStep: Sendable, Equatable {
    /// Send these bytes, then keep reading.
    case send([UInt8])
    /// Keep reading.
    case wait
    /// The go-ahead arrived and nothing followed it: start the TLS handshake.
    case startTLS
    /// The exchange failed; close the connection.
    case failed(NegotiationFailure)
}

/// Why a STARTTLS exchange failed: `starttls-not-supported` (not offered, refused, or a server
/// that did not speak the protocol) or `starttls-injection` (bytes after the go-ahead).
public struct NegotiationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: DANEReason
    public let detail: String

    public init(_ reason: DANEReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}

/// Builds the negotiator for a protocol, or nil when TLS starts directly.
public enum StartTLSNegotiators {
    public static func make(
        _ kind: StartTLSKind, serviceDomain: String, clientName: String = "danegate.invalid"
    ) -> (any StartTLSNegotiator)? {
        switch kind {
        case .direct: nil
        case .smtp: SMTPStartTLS(clientName: clientName)
        case .xmpp: XMPPStartTLS(domain: serviceDomain)
        }
    }
}
