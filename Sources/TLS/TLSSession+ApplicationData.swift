internal import COpenSSL

/// Plaintext in and out of an established session, and its orderly close (close_notify).
extension TLSSession {
    /// What `readPlaintext(into:)` found.
    public enum ReadIntoResult: Sendable, Equatable {
        /// This many bytes were decrypted into the buffer.
        case bytes(Int)
        case needMoreData
        case closed
    }

    /// Decrypts what has been fed, up to `maxBytes` of plaintext. Also processes post-handshake
    /// messages (TLS 1.3 session tickets), so call it whenever ciphertext arrives.
    public func readPlaintext(maxBytes: Int = 64 * 1024) throws -> ReadResult {
        let limit = max(1, min(maxBytes, 1 << 20))
        var plaintext = [UInt8](repeating: 0, count: limit)
        let result = try plaintext.withUnsafeMutableBytes { try readPlaintext(into: $0) }
        switch result {
        case .bytes(let count): return .data(Array(plaintext.prefix(count)))
        case .needMoreData: return .needMoreData
        case .closed: return .closed
        }
    }

    /// Decrypts what has been fed into `buffer` (no copy beyond OpenSSL's own). Fills the buffer
    /// as far as the fed records allow.
    public func readPlaintext(into buffer: UnsafeMutableRawBufferPointer) throws -> ReadIntoResult {
        switch state {
        case .handshaking: throw TLSError(.notEstablished, "the handshake has not completed")
        case .failed(let error): throw error
        case .established: break
        }
        if receivedCloseNotify { return .closed }
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return .needMoreData }
        OpenSSLErrorQueue.clear()
        let limit = min(buffer.count, Int(Int32.max))
        var total = 0
        while total < limit {
            let result = SSL_read(ssl, base + total, Int32(limit - total))
            if result > 0 {
                total += Int(result)
                continue
            }
            let reason = SSL_get_error(ssl, result)
            switch reason {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                if endOfInput && COpenSSL_BIO_pending(networkInput) == 0 && total == 0 {
                    throw readFailure(OpenSSLErrorQueue.error(.unexpectedEndOfStream, "the peer closed without close_notify"))
                }
                return total > 0 ? .bytes(total) : .needMoreData
            case SSL_ERROR_ZERO_RETURN:
                receivedCloseNotify = true
                return total > 0 ? .bytes(total) : .closed
            default:
                // Hand over what was decrypted; the next call reports the failure.
                if total > 0 { return .bytes(total) }
                if endOfInput && COpenSSL_BIO_pending(networkInput) == 0 {
                    throw readFailure(OpenSSLErrorQueue.error(.unexpectedEndOfStream, "the peer closed without close_notify"))
                }
                throw readFailure(OpenSSLErrorQueue.error(.protocolError, "cannot read a TLS record"))
            }
        }
        return .bytes(total)
    }

    private func readFailure(_ error: TLSError) -> TLSError {
        state = .failed(error)
        return error
    }

    /// Encrypts `plaintext`; take the records with `takeCiphertext()`. Refused before the session
    /// is established and verified, so a failed handshake never carries application data
    /// (DESIGN rule 1).
    public func write(_ plaintext: UnsafeRawBufferPointer) throws {
        switch state {
        case .handshaking: throw TLSError(.notEstablished, "application data before the handshake completed")
        case .failed(let error): throw error
        case .established: break
        }
        if sentCloseNotify { throw TLSError(.closed, "close_notify was already sent") }
        OpenSSLErrorQueue.clear()
        var remaining = plaintext
        while !remaining.isEmpty {
            let chunk = min(remaining.count, 1 << 20)
            let written = SSL_write(ssl, remaining.baseAddress, Int32(chunk))
            guard written > 0 else {
                let error = OpenSSLErrorQueue.error(.protocolError, "SSL_write failed")
                state = .failed(error)
                throw error
            }
            remaining = UnsafeRawBufferPointer(rebasing: remaining[Int(written)...])
        }
    }

    /// Encrypts `plaintext`; see `write(_:)`.
    public func write(_ plaintext: [UInt8]) throws {
        try plaintext.withUnsafeBytes { try write($0) }
    }

    /// Sends close_notify (take it with `takeCiphertext()`): we will write no more. Reading goes on
    /// until the peer's own close_notify (half-close). Harmless to call twice or after a failure.
    public func close() {
        guard isEstablished, !sentCloseNotify else { return }
        sentCloseNotify = true
        OpenSSLErrorQueue.clear()
        _ = SSL_shutdown(ssl)
        OpenSSLErrorQueue.clear()
    }

    /// True once the peer's close_notify arrived.
    public var peerClosed: Bool { receivedCloseNotify }
}
