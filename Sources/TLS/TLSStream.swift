import EventLoop
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TLSSession driven over a TCPStream on the event loop: handshake first, then plaintext in
/// and out as a `ByteStreamEnd`, so a `Relay` can pump between a local client and an upstream
/// TLS server. Every call is made on the transport's loop thread.
///
/// Until the handshake has completed (and the peer is verified as the session's options
/// require) nothing the owner writes is sent: `write` before then is an error (DESIGN rule 1).
public final class TLSStream: ByteStreamEnd, @unchecked Sendable {
    public let transport: TCPStream
    public let session: TLSSession
    public var onEvent: ((ByteStreamEvent) -> Void)?
    /// The TLS failure behind the last `.error` event or failed handshake, if any.
    public private(set) var tlsError: TLSError?

    private var handshakeCompletion: ((Result<TLSPeerVerification?, TLSError>) -> Void)?
    private var handshakeDone = false
    private var wantsData = false
    private var deliveredEndOfStream = false
    private var closed = false

    public init(session: TLSSession, transport: TCPStream) {
        self.session = session
        self.transport = transport
    }

    /// Runs the handshake; `completion` gets the peer verification (nil for a server session's
    /// client) or the error. The transport is read only as far as the handshake needs until the
    /// owner calls `startReading()`. On failure the owner closes the stream.
    public func handshake(_ completion: @escaping (Result<TLSPeerVerification?, TLSError>) -> Void) {
        transport.loop.assertInLoopThread()
        handshakeCompletion = completion
        transport.onEvent = { [self] event in transportEvent(event) }
        transport.startReading()
        advanceHandshake()
    }

    private func advanceHandshake() {
        let progress = session.handshake()
        flushCiphertext()
        switch progress {
        case .needMoreData:
            return
        case .established:
            handshakeDone = true
            if !wantsData { transport.stopReading() }
            let completion = handshakeCompletion
            handshakeCompletion = nil
            completion?(.success(session.peerVerification))
            // The peer's first application bytes may have come with its last handshake flight.
            if wantsData { deliverPlaintext() }
        case .failed(let error):
            failHandshake(error)
        }
    }

    private func failHandshake(_ error: TLSError) {
        tlsError = error
        transport.stopReading()
        let completion = handshakeCompletion
        handshakeCompletion = nil
        completion?(.failure(error))
    }

    private func transportEvent(_ event: ByteStreamEvent) {
        switch event {
        case .data(let ciphertext):
            session.feed(ciphertext)
        case .endOfStream:
            session.feedEndOfStream()
        case .error(let error):
            if !handshakeDone {
                failHandshake(TLSError(.peerClosedDuringHandshake, "transport failed during the handshake: \(error)"))
            } else {
                onEvent?(.error(error))
            }
            return
        }
        if !handshakeDone {
            if handshakeCompletion != nil { advanceHandshake() }
        } else {
            deliverPlaintext()
        }
    }

    /// Plaintext is decrypted into a temporary buffer of this size per delivery (no buffer is
    /// kept per idle connection).
    private static let deliveryBufferSize = 64 * 1024

    /// Hands decrypted bytes to the owner while it wants them.
    private func deliverPlaintext() {
        defer { flushCiphertext() }
        guard wantsData && !closed else { return }
        withUnsafeTemporaryAllocation(byteCount: Self.deliveryBufferSize, alignment: 16) { buffer in
            while wantsData && !closed {
                let result: TLSSession.ReadIntoResult
                do {
                    result = try session.readPlaintext(into: buffer)
                } catch let error as TLSError {
                    tlsError = error
                    onEvent?(.error(EventLoopError(code: -EPROTO, operation: "TLS: \(error)")))
                    return
                } catch {
                    return
                }
                switch result {
                case .bytes(let count):
                    onEvent?(.data(UnsafeRawBufferPointer(rebasing: buffer[0..<count])))
                case .needMoreData:
                    return
                case .closed:
                    if !deliveredEndOfStream {
                        deliveredEndOfStream = true
                        onEvent?(.endOfStream)
                    }
                    return
                }
            }
        }
    }

    private func flushCiphertext() {
        guard !closed, transport.isOpen else { return }
        session.withPendingCiphertext { transport.write($0) }
    }

    // MARK: ByteStreamEnd

    public func startReading() {
        guard !wantsData else { return }
        wantsData = true
        guard handshakeDone, !closed else { return }
        transport.startReading()
        // Plaintext may already wait in the session; deliver it later, not inside this call.
        transport.loop.execute { [self] in
            if wantsData { deliverPlaintext() }
        }
    }

    public func stopReading() {
        wantsData = false
        if handshakeDone { transport.stopReading() }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) {
        guard !closed else { return }
        do {
            try session.write(bytes)
            flushCiphertext()
        } catch let error as TLSError {
            tlsError = error
            transport.loop.execute { [self] in
                onEvent?(.error(EventLoopError(code: -EPROTO, operation: "TLS: \(error)")))
            }
        } catch {}
    }

    public var queuedWriteBytes: Int { transport.queuedWriteBytes }

    public func whenQueuedWriteBytes(atMost threshold: Int, _ body: @escaping () -> Void) {
        transport.whenQueuedWriteBytes(atMost: threshold, body)
    }

    /// Sends close_notify, then shuts down the TCP write side; reading goes on (half-close).
    public func shutdownWrite(_ completion: @escaping (EventLoopError?) -> Void) {
        session.close()
        flushCiphertext()
        transport.shutdownWrite(completion)
    }

    public func close(_ completion: (() -> Void)?) {
        closed = true
        wantsData = false
        handshakeCompletion = nil
        transport.close(completion)
    }
}
