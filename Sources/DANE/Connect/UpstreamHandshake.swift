import EventLoop
import TLS

/// Why an upstream connection failed, with the TLS verification when the handshake got that far.
public struct UpstreamFailure: Error, Sendable, CustomStringConvertible {
    public let reason: DANEReason
    public let detail: String
    public let verification: TLSPeerVerification?

    public init(_ reason: DANEReason, _ detail: String, verification: TLSPeerVerification? = nil) {
        self.reason = reason
        self.detail = detail
        self.verification = verification
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}

/// An established upstream TLS session.
public struct UpstreamSession: @unchecked Sendable {
    public let stream: TLSStream
    public let verification: TLSPeerVerification
    /// The SMTP greeting, held back for a gateway client (DESIGN "Protocols").
    public let greeting: [UInt8]?
    /// The address connected to.
    public let address: SocketAddress
}

/// The loop-bound half of an upstream connection: over a connected TCP stream, the STARTTLS
/// exchange when the protocol has one, then the TLS handshake with the plan's options, all on
/// the stream's loop (the caller's: a relay needs both ends on one loop). The TLS engine is
/// built only after the negotiator said `.startTLS`, which it says only when nothing followed
/// the go-ahead (DESIGN rule 2).
public final class UpstreamHandshake {
    /// Called once on the loop: the authenticated (or policy-accepted) session, or why not.
    public typealias Completion = (Result<UpstreamSession, UpstreamFailure>) -> Void

    private let loop: EventLoop
    private let address: SocketAddress
    private var negotiator: (any StartTLSNegotiator)?
    private let context: TLSContext
    private let options: TLSClientOptions
    private let timeout: Duration
    private var completion: Completion?
    private var transport: TCPStream?
    private var tlsStream: TLSStream?
    private var deadline: LoopTimer?

    /// `transport` is connected to `address`; `negotiator` is nil for direct TLS.
    public init(
        transport: TCPStream, address: SocketAddress, negotiator: (any StartTLSNegotiator)?, context: TLSContext,
        options: TLSClientOptions, timeout: Duration
    ) {
        self.loop = transport.loop
        self.transport = transport
        self.address = address
        self.negotiator = negotiator
        self.context = context
        self.options = options
        self.timeout = timeout
    }

    /// Starts; `completion` runs once on the loop. Call on the loop's thread. On failure the
    /// transport is closed.
    public func run(_ completion: @escaping Completion) {
        loop.assertInLoopThread()
        self.completion = completion
        do {
            let timer = try LoopTimer(loop: loop)
            deadline = timer
            timer.start(after: timeout) { [self] in
                finish(.failure(UpstreamFailure(.timeout, "no TLS session with \(address) within \(timeout)")))
            }
        } catch {
            // Never a connection without a deadline.
            finish(.failure(UpstreamFailure(.timeout, "cannot arm the deadline for \(address): \(error)")))
            return
        }
        guard let transport else { return }
        try? transport.setNoDelay(true)
        negotiate(transport)
    }

    private func negotiate(_ stream: TCPStream) {
        guard var negotiator else {
            startTLS(stream, greeting: nil)
            return
        }
        let first = negotiator.start()
        self.negotiator = negotiator
        guard apply(first, stream) else { return }
        stream.onEvent = { [self] event in
            guard var negotiator = self.negotiator else { return }
            let step: NegotiationStep
            switch event {
            case .data(let bytes): step = negotiator.receive(Array(bytes))
            case .endOfStream: step = negotiator.receiveEndOfStream()
            case .error(let error):
                finish(.failure(UpstreamFailure(.upstreamUnreachable, "reading from \(address): \(error)")))
                return
            }
            self.negotiator = negotiator
            _ = apply(step, stream)
        }
        stream.startReading()
    }

    /// Carries out one step; false when the exchange is over (TLS started or failed).
    private func apply(_ step: NegotiationStep, _ stream: TCPStream) -> Bool {
        switch step {
        case .wait:
            return true
        case .send(let bytes):
            bytes.withUnsafeBytes { stream.write($0) }
            return true
        case .failed(let failure):
            finish(.failure(UpstreamFailure(failure.reason, failure.detail)))
            return false
        case .startTLS:
            stream.stopReading()
            stream.onEvent = nil
            let greeting = (negotiator as? SMTPStartTLS)?.greeting?.raw
            startTLS(stream, greeting: greeting)
            return false
        }
    }

    private func startTLS(_ stream: TCPStream, greeting: [UInt8]?) {
        let session: TLSSession
        do {
            session = try TLSSession(client: context, options: options)
        } catch {
            finish(.failure(UpstreamFailure(.tlsHandshakeFailed, "TLS setup: \(error)")))
            return
        }
        let tls = TLSStream(session: session, transport: stream)
        tlsStream = tls
        tls.handshake { [self] result in
            switch result {
            case .success(let verification):
                guard let verification else {
                    finish(.failure(UpstreamFailure(.tlsHandshakeFailed, "no peer verification")))
                    return
                }
                finish(.success(UpstreamSession(stream: tls, verification: verification, greeting: greeting, address: address)))
            case .failure(let error):
                // A refused certificate is still named in the audit (its digests and subject).
                finish(.failure(Self.classify(error, verification: session.peerVerification ?? session.rejectedPeerVerification)))
            }
        }
    }

    /// A handshake failure as a reason code.
    public static func classify(_ error: TLSError, verification: TLSPeerVerification?) -> UpstreamFailure {
        switch error.code {
        case .noUsableRecords:
            return UpstreamFailure(.tlsaUnusable, error.reason, verification: verification)
        case .verificationFailed:
            let result = verification?.certificateVerifyResult ?? error.certificateVerifyResult
            return UpstreamFailure(
                result == .hostnameMismatch ? .daneNameMismatch : .daneNoMatch, error.reason, verification: verification)
        default:
            // OpenSSL ends a handshake whose chain failed with "certificate verify failed".
            if let result = error.certificateVerifyResult, result != .ok {
                return UpstreamFailure(
                    result == .hostnameMismatch ? .daneNameMismatch : .daneNoMatch, error.reason, verification: verification)
            }
            return UpstreamFailure(.tlsHandshakeFailed, error.description, verification: verification)
        }
    }

    private func finish(_ result: Result<UpstreamSession, UpstreamFailure>) {
        guard let completion else { return }
        self.completion = nil
        deadline?.close()
        deadline = nil
        if case .failure = result {
            if let tlsStream {
                tlsStream.close(nil)
            } else {
                transport?.onEvent = nil
                transport?.close()
            }
        }
        transport = nil
        tlsStream = nil
        completion(result)
    }
}
