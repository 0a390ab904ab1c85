internal import COpenSSL

/// Shared settings for many sessions: one OpenSSL SSL_CTX, owned here and freed in deinit.
/// Thread-safe once built (OpenSSL allows SSL_new from any thread; the session cache is locked),
/// so one context can serve several event loops.
public final class TLSContext: @unchecked Sendable {
    /// The SSL_CTX. Not mutated after init.
    let pointer: OpaquePointer
    public let configuration: TLSConfiguration
    /// Client resumption cache (per upstream key).
    let sessionCache: TLSSessionCache
    /// ALPN protocols in wire form (length-prefixed), kept alive for the server's select callback.
    private let alpnServerList: ALPNProtocolList?

    public init(_ configuration: TLSConfiguration) throws {
        let alpnWire = try ALPNProtocolList.wireFormat(configuration.alpnProtocols)
        OpenSSLErrorQueue.clear()
        let method = configuration.role == .client ? TLS_client_method() : TLS_server_method()
        guard let context = SSL_CTX_new(method) else {
            throw OpenSSLErrorQueue.error(.setupFailed, "SSL_CTX_new failed")
        }
        pointer = context
        self.configuration = configuration
        sessionCache = TLSSessionCache(capacity: configuration.sessionCacheCapacity)
        alpnServerList = configuration.role == .server && !alpnWire.isEmpty ? ALPNProtocolList(alpnWire) : nil

        // From here on, deinit frees the SSL_CTX if a step throws.
        try setVersions()
        _ = SSL_CTX_set_options(
            context, COpenSSL_SSL_OP_NO_COMPRESSION() | COpenSSL_SSL_OP_NO_RENEGOTIATION())
        // Idle connections keep no read/write buffers (issue 2: memory per idle connection).
        _ = COpenSSL_SSL_CTX_set_mode(context, Int(SSL_MODE_RELEASE_BUFFERS))
        try loadTrustRoots()
        if let identity = configuration.identity {
            try loadIdentity(identity)
        }
        switch configuration.role {
        case .client:
            try setUpClient(alpnWire: alpnWire)
        case .server:
            guard configuration.identity != nil else {
                throw TLSError(.setupFailed, "a server context needs an identity (certificate and key)")
            }
            setUpServer()
        }
    }

    deinit {
        SSL_CTX_free(pointer)
    }

    /// Upstreams with a resumable session in the client cache.
    public var cachedSessionCount: Int { sessionCache.count }

    private func setVersions() throws {
        guard COpenSSL_SSL_CTX_set_min_proto_version(pointer, configuration.minimumVersion.openSSLValue) == 1 else {
            throw OpenSSLErrorQueue.error(.setupFailed, "cannot set the minimum TLS version")
        }
        if let maximum = configuration.maximumVersion {
            guard maximum >= configuration.minimumVersion,
                COpenSSL_SSL_CTX_set_max_proto_version(pointer, maximum.openSSLValue) == 1
            else {
                throw OpenSSLErrorQueue.error(.setupFailed, "cannot set the maximum TLS version")
            }
        }
    }

    private func loadTrustRoots() throws {
        switch configuration.trustRoots {
        case .none:
            break
        case .system:
            guard SSL_CTX_set_default_verify_paths(pointer) == 1 else {
                throw OpenSSLErrorQueue.error(.certificateLoadFailed, "cannot load the system trust store")
            }
        case .file(let path):
            guard SSL_CTX_load_verify_locations(pointer, path, nil) == 1 else {
                throw OpenSSLErrorQueue.error(.certificateLoadFailed, "cannot load CA file \(path)")
            }
        case .pem(let text):
            let store = SSL_CTX_get_cert_store(pointer)
            for certificate in try X509Certificate.chain(fromPEM: text) {
                guard X509_STORE_add_cert(store, certificate.pointer) == 1 else {
                    throw OpenSSLErrorQueue.error(.certificateLoadFailed, "cannot add a trust anchor")
                }
            }
        }
    }

    private func loadIdentity(_ identity: TLSConfiguration.Identity) throws {
        switch identity {
        case .files(let chain, let key):
            guard SSL_CTX_use_certificate_chain_file(pointer, chain) == 1 else {
                throw OpenSSLErrorQueue.error(.certificateLoadFailed, "cannot load certificate chain \(chain)")
            }
            guard SSL_CTX_use_PrivateKey_file(pointer, key, SSL_FILETYPE_PEM) == 1 else {
                throw OpenSSLErrorQueue.error(.certificateLoadFailed, "cannot load private key \(key)")
            }
        case .pem(let chainText, let keyText):
            let chain = try X509Certificate.chain(fromPEM: chainText)
            guard SSL_CTX_use_certificate(pointer, chain[0].pointer) == 1 else {
                throw OpenSSLErrorQueue.error(.certificateLoadFailed, "cannot use the certificate")
            }
            for issuer in chain.dropFirst() {
                guard COpenSSL_SSL_CTX_add1_chain_cert(pointer, issuer.pointer) == 1 else {
                    throw OpenSSLErrorQueue.error(.certificateLoadFailed, "cannot add a chain certificate")
                }
            }
            try usePrivateKey(pem: keyText)
        }
        guard SSL_CTX_check_private_key(pointer) == 1 else {
            throw OpenSSLErrorQueue.error(.certificateLoadFailed, "the private key does not match the certificate")
        }
    }

    private func usePrivateKey(pem: String) throws {
        var bytes = Array(pem.utf8)
        let key: OpaquePointer? = bytes.withUnsafeMutableBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key else {
            throw OpenSSLErrorQueue.error(.certificateLoadFailed, "cannot parse the private key")
        }
        defer { EVP_PKEY_free(key) }
        guard SSL_CTX_use_PrivateKey(pointer, key) == 1 else {
            throw OpenSSLErrorQueue.error(.certificateLoadFailed, "cannot use the private key")
        }
    }

    private func setUpClient(alpnWire: [UInt8]) throws {
        // DANE shared state (SSL_CTX_dane_enable must precede SSL_dane_enable on any session).
        guard SSL_CTX_dane_enable(pointer) > 0 else {
            throw OpenSSLErrorQueue.error(.setupFailed, "SSL_CTX_dane_enable failed")
        }
        if configuration.skipDANEEENameChecks {
            _ = SSL_CTX_dane_set_flags(pointer, COpenSSL_DANE_FLAG_NO_DANE_EE_NAMECHECKS())
        }
        // Always verify the peer (DESIGN rule 9); sessions in report-only mode install a callback.
        SSL_CTX_set_verify(pointer, SSL_VERIFY_PEER, nil)
        if !alpnWire.isEmpty {
            // SSL_CTX_set_alpn_protos returns 0 on success.
            let failed = alpnWire.withUnsafeBufferPointer {
                SSL_CTX_set_alpn_protos(pointer, $0.baseAddress, UInt32($0.count))
            }
            guard failed == 0 else {
                throw OpenSSLErrorQueue.error(.setupFailed, "cannot set ALPN protocols")
            }
        }
        // The cache is ours (per upstream key), not OpenSSL's internal one.
        _ = COpenSSL_SSL_CTX_set_session_cache_mode(
            pointer, Int(SSL_SESS_CACHE_CLIENT) | COpenSSL_SSL_SESS_CACHE_NO_INTERNAL())
        SSL_CTX_sess_set_new_cb(pointer, tlsNewSessionCallback)
    }

    private func setUpServer() {
        SSL_CTX_set_verify(pointer, SSL_VERIFY_NONE, nil)
        var sessionContext = Array("danegate".utf8)
        _ = SSL_CTX_set_session_id_context(pointer, &sessionContext, UInt32(sessionContext.count))
        if let alpnServerList {
            SSL_CTX_set_alpn_select_cb(
                pointer, tlsALPNSelectCallback, Unmanaged.passUnretained(alpnServerList).toOpaque())
        }
    }
}

/// OpenSSL hands over each new resumable client session here; the owning TLSSession decides
/// whether to keep it (returning 1 means we took the reference).
private let tlsNewSessionCallback: @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32 = { ssl, session in
    guard let ssl, let session, let owner = SSL_get_ex_data(ssl, 0) else { return 0 }
    let tlsSession = Unmanaged<TLSSession>.fromOpaque(owner).takeUnretainedValue()
    return tlsSession.receivedResumableSession(session) ? 1 : 0
}
