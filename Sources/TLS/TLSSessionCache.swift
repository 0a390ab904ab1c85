internal import COpenSSL
import EventLoop

/// Client-side resumption cache: the last resumable SSL_SESSION per upstream key, with the
/// verification of the handshake that produced it. A resumed handshake does not see the peer's
/// certificate again, so the cached verification is what the session reports; the key therefore
/// includes the TLSA records and reference identifiers (a changed TLSA RRset never resumes a
/// session authenticated under the old one).
final class TLSSessionCache: @unchecked Sendable {
    private struct Entry {
        /// An SSL_SESSION reference owned by the cache.
        let session: OpaquePointer
        let verification: TLSPeerVerification
    }

    private let lock = Lock()
    private var entries: [String: Entry] = [:]
    /// Keys oldest first, to evict beyond `capacity`.
    private var order: [String] = []
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    deinit {
        for entry in entries.values { SSL_SESSION_free(entry.session) }
    }

    /// Keeps `session` (taking over the caller's reference) for `key`, replacing an older one.
    func store(_ session: OpaquePointer, verification: TLSPeerVerification, for key: String) {
        let evicted: [OpaquePointer] = lock.withLock {
            var freed: [OpaquePointer] = []
            if let old = entries[key] {
                freed.append(old.session)
                order.removeAll { $0 == key }
            }
            entries[key] = Entry(session: session, verification: verification)
            order.append(key)
            while order.count > capacity {
                let oldest = order.removeFirst()
                if let entry = entries.removeValue(forKey: oldest) { freed.append(entry.session) }
            }
            return freed
        }
        for old in evicted { SSL_SESSION_free(old) }
    }

    /// Offers the cached session for `key` to `ssl` (SSL_set_session takes its own reference) and
    /// returns the verification it was established with, or nil when there is none.
    /// A TLS 1.3 ticket is offered once (RFC 8446 §C.4: reuse lets observers link connections);
    /// the resumed connection's new tickets replace it.
    func resume(_ ssl: OpaquePointer, for key: String) -> TLSPeerVerification? {
        let (verification, spent): (TLSPeerVerification?, OpaquePointer?) = lock.withLock {
            guard let entry = entries[key], SSL_SESSION_is_resumable(entry.session) == 1,
                SSL_set_session(ssl, entry.session) == 1
            else { return (nil, nil) }
            guard SSL_SESSION_get_protocol_version(entry.session) >= 0x0304 else {  // TLS1_3_VERSION
                return (entry.verification, nil)
            }
            entries[key] = nil
            order.removeAll { $0 == key }
            return (entry.verification, entry.session)
        }
        // SSL_set_session took its own reference; drop the cache's.
        if let spent { SSL_SESSION_free(spent) }
        return verification
    }

    /// Forgets `key` (after a failed resumed handshake).
    func remove(_ key: String) {
        let removed: OpaquePointer? = lock.withLock {
            order.removeAll { $0 == key }
            return entries.removeValue(forKey: key)?.session
        }
        if let removed { SSL_SESSION_free(removed) }
    }

    var count: Int { lock.withLock { entries.count } }
}
