internal import COpenSSL

/// One TLS connection as a state machine on memory BIOs: the caller feeds ciphertext from the
/// socket, takes ciphertext to send, and reads and writes plaintext. It owns its SSL object (and,
/// through it, both BIOs) and frees it in deinit. Not thread-safe: confine it to one event loop.
///
/// After every call, send what `takeCiphertext()` (or `withPendingCiphertext`) gives:
/// handshake messages, alerts, session tickets and close_notify appear there.
public final class TLSSession {
    /// Where the handshake stands after `handshake()`.
    public enum HandshakeProgress: Sendable, Equatable {
        /// Feed more ciphertext from the peer (and send what `takeCiphertext()` has).
        case needMoreData
        /// The session is up and its peer verified as the options required.
        case established
        /// The handshake failed; no application byte was or will be exchanged.
        case failed(TLSError)
    }

    /// What `readPlaintext()` found.
    public enum ReadResult: Sendable, Equatable {
        case data([UInt8])
        /// Nothing decrypted yet: feed more ciphertext.
        case needMoreData
        /// The peer sent close_notify: it will send no more (it may still read).
        case closed
    }

    enum State {
        case handshaking
        case established
        case failed(TLSError)
    }

    let context: TLSContext
    /// The SSL object; owns `networkInput` and `networkOutput` (SSL_set_bio).
    let ssl: OpaquePointer
    /// Ciphertext from the peer waits here for OpenSSL.
    let networkInput: OpaquePointer
    /// Ciphertext for the peer collects here.
    let networkOutput: OpaquePointer
    /// Client options (nil for a server session).
    public let options: TLSClientOptions?
    /// How OpenSSL took the TLSA records (nil when DANE was not requested).
    public let daneRecordLoad: DANERecordLoad?
    /// What the handshake established about the peer; set once the handshake completes (also when
    /// it completes but fails verification in enforce mode).
    public private(set) var peerVerification: TLSPeerVerification?
    /// What the peer presented in a handshake that OpenSSL ended because certificate
    /// verification failed (SSL_VERIFY_PEER in enforce mode): the verify result and the chain,
    /// which OpenSSL keeps after a failed verify, so an audit can name the certificate it
    /// refused (DESIGN "Audit"). Nil otherwise; `peerVerification` stays nil, since no
    /// handshake completed.
    public private(set) var rejectedPeerVerification: TLSPeerVerification?

    var state: State = .handshaking
    var endOfInput = false
    var sentCloseNotify = false
    var receivedCloseNotify = false
    /// The verification cached with the session offered for resumption.
    var cachedVerification: TLSPeerVerification?
    /// A resumable session OpenSSL produced before verification finished (TLS 1.2), kept until
    /// the handshake is known to be good.
    var pendingResumableSession: OpaquePointer?

    /// A client session to a server named by `options`.
    public init(client context: TLSContext, options: TLSClientOptions) throws {
        guard context.configuration.role == .client else {
            throw TLSError(.setupFailed, "a client session needs a client context")
        }
        let parts = try Self.makeSSL(context)
        let load: DANERecordLoad?
        do {
            load = try Self.configureClient(parts.ssl, options: options)
        } catch {
            // deinit does not run for a half-initialized object: free the SSL (and its BIOs) here.
            SSL_free(parts.ssl)
            throw error
        }
        self.context = context
        ssl = parts.ssl
        networkInput = parts.input
        networkOutput = parts.output
        self.options = options
        daneRecordLoad = load
        SSL_set_connect_state(ssl)
        if let key = options.sessionCacheKey {
            cachedVerification = context.sessionCache.resume(ssl, for: key)
        }
        SSL_set_ex_data(ssl, 0, Unmanaged.passUnretained(self).toOpaque())
    }

    /// A server session (for tests and the authoritative server's DNS-over-TLS later).
    public init(server context: TLSContext) throws {
        guard context.configuration.role == .server else {
            throw TLSError(.setupFailed, "a server session needs a server context")
        }
        let parts = try Self.makeSSL(context)
        self.context = context
        ssl = parts.ssl
        networkInput = parts.input
        networkOutput = parts.output
        options = nil
        daneRecordLoad = nil
        SSL_set_accept_state(ssl)
        SSL_set_ex_data(ssl, 0, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        if let pendingResumableSession { SSL_SESSION_free(pendingResumableSession) }
        SSL_free(ssl)
    }

    private static func makeSSL(_ context: TLSContext) throws -> (ssl: OpaquePointer, input: OpaquePointer, output: OpaquePointer) {
        OpenSSLErrorQueue.clear()
        guard let ssl = SSL_new(context.pointer) else {
            throw OpenSSLErrorQueue.error(.setupFailed, "SSL_new failed")
        }
        guard let input = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw OpenSSLErrorQueue.error(.setupFailed, "BIO_new failed")
        }
        guard let output = BIO_new(BIO_s_mem()) else {
            BIO_free(input)
            SSL_free(ssl)
            throw OpenSSLErrorQueue.error(.setupFailed, "BIO_new failed")
        }
        // An empty input BIO means "retry later", not end of stream, until feedEndOfStream().
        _ = COpenSSL_BIO_set_mem_eof_return(input, -1)
        SSL_set_bio(ssl, input, output)
        return (ssl, input, output)
    }

    // MARK: Transport side

    /// Hands ciphertext received from the peer to OpenSSL.
    public func feed(_ ciphertext: UnsafeRawBufferPointer) {
        var remaining = ciphertext
        while !remaining.isEmpty {
            let chunk = min(remaining.count, Int(Int32.max))
            let written = BIO_write(networkInput, remaining.baseAddress, Int32(chunk))
            // A memory BIO write only fails when out of memory.
            precondition(written == chunk, "BIO_write to a memory BIO failed")
            remaining = UnsafeRawBufferPointer(rebasing: remaining[chunk...])
        }
    }

    /// Hands ciphertext received from the peer to OpenSSL.
    public func feed(_ ciphertext: [UInt8]) {
        ciphertext.withUnsafeBytes { feed($0) }
    }

    /// The peer closed its side of the transport (read returned end of file).
    public func feedEndOfStream() {
        endOfInput = true
        _ = COpenSSL_BIO_set_mem_eof_return(networkInput, 0)
    }

    /// True when ciphertext is waiting to be sent.
    public var hasCiphertext: Bool { COpenSSL_BIO_pending(networkOutput) > 0 }

    /// Lends the ciphertext waiting to be sent to `body` without copying it, then forgets it
    /// (the body must copy or send what it keeps, as TCPStream.write does).
    public func withPendingCiphertext(_ body: (UnsafeRawBufferPointer) -> Void) {
        var data: UnsafeMutablePointer<CChar>? = nil
        let length = COpenSSL_BIO_get_mem_data(networkOutput, &data)
        guard length > 0, let data else { return }
        body(UnsafeRawBufferPointer(start: data, count: length))
        _ = COpenSSL_BIO_reset(networkOutput)
    }

    /// Takes all ciphertext waiting to be sent to the peer.
    public func takeCiphertext() -> [UInt8] {
        let pending = Int(COpenSSL_BIO_pending(networkOutput))
        guard pending > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: pending)
        let read = bytes.withUnsafeMutableBytes { BIO_read(networkOutput, $0.baseAddress, Int32(pending)) }
        return read > 0 ? Array(bytes.prefix(Int(read))) : []
    }

    // MARK: Handshake

    /// Advances the handshake with the ciphertext fed so far.
    public func handshake() -> HandshakeProgress {
        switch state {
        case .established: return .established
        case .failed(let error): return .failed(error)
        case .handshaking: break
        }
        if let options, options.enforcement == .enforce, daneRecordLoad?.hasNoUsableRecords == true {
            // DANE is off in OpenSSL when no record was usable (rule 9): never fall back silently.
            return fail(TLSError(.noUsableRecords, "none of the TLSA records is usable; DANE is off"))
        }
        OpenSSLErrorQueue.clear()
        let result = SSL_do_handshake(ssl)
        if result == 1 {
            return completeHandshake()
        }
        let reason = SSL_get_error(ssl, result)
        switch reason {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            if endOfInput {
                return fail(OpenSSLErrorQueue.error(.peerClosedDuringHandshake, "the peer closed the connection during the handshake"))
            }
            return .needMoreData
        default:
            return fail(handshakeError(reason))
        }
    }

    private func handshakeError(_ reason: Int32) -> TLSError {
        let verifyResult = Int32(truncatingIfNeeded: SSL_get_verify_result(ssl))
        if verifyResult != X509_V_OK {
            rejectedPeerVerification = currentVerification()
            return OpenSSLErrorQueue.error(
                .verificationFailed, "certificate verification failed: \(Self.verifyText(verifyResult))",
                verifyResult: verifyResult)
        }
        if endOfInput && COpenSSL_BIO_pending(networkInput) == 0
            && (reason == SSL_ERROR_SYSCALL || reason == SSL_ERROR_ZERO_RETURN || reason == SSL_ERROR_SSL)
        {
            return OpenSSLErrorQueue.error(.peerClosedDuringHandshake, "the peer closed the connection during the handshake")
        }
        return OpenSSLErrorQueue.error(.handshakeFailed, "TLS handshake failed")
    }

    private func completeHandshake() -> HandshakeProgress {
        let verification = currentVerification()
        peerVerification = verification
        if let options, options.enforcement == .enforce, !verification.isAuthenticated {
            // Rule 9: require X509_V_OK and a DANE authority after the handshake, even though
            // SSL_VERIFY_PEER should already have failed it.
            if verification.resumed, let key = options.sessionCacheKey { context.sessionCache.remove(key) }
            return fail(TLSError(
                .verificationFailed,
                "peer not authenticated: \(verification.verifyResultText), DANE \(verification.dane)",
                verifyResult: verification.verifyResult))
        }
        state = .established
        if let pending = pendingResumableSession {
            pendingResumableSession = nil
            keepResumableSession(pending)
        }
        return .established
    }

    @discardableResult
    private func fail(_ error: TLSError) -> HandshakeProgress {
        state = .failed(error)
        if let pending = pendingResumableSession {
            pendingResumableSession = nil
            SSL_SESSION_free(pending)
        }
        return .failed(error)
    }

    /// True once the session is established (and verified as required).
    public var isEstablished: Bool {
        if case .established = state { return true }
        return false
    }

    /// The host name the client asked for with SNI (server sessions), if any.
    public var requestedServerName: String? {
        guard let name = SSL_get_servername(ssl, Int32(TLSEXT_NAMETYPE_host_name)) else { return nil }
        return String(cString: name)
    }
}
