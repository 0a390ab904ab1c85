internal import COpenSSL

/// Client session resumption: OpenSSL hands each new resumable session to the owning TLSSession,
/// which keeps it in the context's cache only once the handshake is known to be good.
extension TLSSession {
    /// Called by the context's new-session callback. Returns true when the session was kept.
    func receivedResumableSession(_ session: OpaquePointer) -> Bool {
        guard options?.sessionCacheKey != nil else { return false }
        switch state {
        case .failed:
            return false
        case .handshaking:
            if let old = pendingResumableSession { SSL_SESSION_free(old) }
            pendingResumableSession = session
            return true
        case .established:
            keepResumableSession(session)
            return true
        }
    }

    /// Stores an owned session reference in the context's cache, or frees it.
    func keepResumableSession(_ session: OpaquePointer) {
        guard let key = options?.sessionCacheKey, let peerVerification else {
            SSL_SESSION_free(session)
            return
        }
        // After a resumed handshake, peerVerification already carries the cached DANE match.
        context.sessionCache.store(session, verification: peerVerification, for: key)
    }
}
