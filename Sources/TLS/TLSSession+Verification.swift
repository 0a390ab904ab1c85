internal import COpenSSL

extension TLSSession {
    /// Applies the client options to a fresh SSL: SNI, DANE and its records, reference
    /// identifiers, verify mode. Returns how OpenSSL took the TLSA records.
    static func configureClient(_ ssl: OpaquePointer, options: TLSClientOptions) throws -> DANERecordLoad? {
        for name in [options.serverName, options.dane?.baseDomain].compactMap({ $0 }) + options.referenceIdentifiers {
            try checkHostName(name)
        }
        // SNI before SSL_dane_enable, which would otherwise send the base domain.
        if let serverName = options.serverName, !serverName.isEmpty, !isIPAddressLiteral(serverName) {
            guard COpenSSL_SSL_set_tlsext_host_name(ssl, serverName) == 1 else {
                throw OpenSSLErrorQueue.error(.setupFailed, "cannot set SNI '\(serverName)'")
            }
        }
        // Reject partial wildcards such as "f*.example" (RFC 6125 §7.2 leaves them optional).
        SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
        var load: DANERecordLoad? = nil
        if let dane = options.dane {
            load = try enableDANE(ssl, dane)
            for name in options.referenceIdentifiers where name != dane.baseDomain {
                guard SSL_add1_host(ssl, name) == 1 else {
                    throw OpenSSLErrorQueue.error(.setupFailed, "cannot add reference identifier '\(name)'")
                }
            }
        } else {
            // PKIX without a name would accept any valid certificate for any host: default to
            // the SNI name, and refuse to enforce with no name at all.
            var names = options.referenceIdentifiers
            if names.isEmpty, let serverName = options.serverName, !serverName.isEmpty { names = [serverName] }
            if names.isEmpty && options.enforcement == .enforce {
                throw TLSError(.setupFailed, "PKIX verification needs a reference identifier or a server name")
            }
            for (index, name) in names.enumerated() {
                let ok = index == 0 ? SSL_set1_host(ssl, name) : SSL_add1_host(ssl, name)
                guard ok == 1 else {
                    throw OpenSSLErrorQueue.error(.setupFailed, "cannot set reference identifier '\(name)'")
                }
            }
        }
        // Always SSL_VERIFY_PEER (rule 9). Report-only sessions accept any chain but keep the
        // verify result, which OpenSSL still records.
        SSL_set_verify(ssl, SSL_VERIFY_PEER, options.enforcement == .enforce ? nil : acceptAnyChain)
        return load
    }

    /// SSL_dane_enable with the base domain, the EE name-check flag, then each record, in the
    /// order OpenSSL's SSL_CTX_dane_enable(3) prescribes (all before the handshake starts).
    static func enableDANE(_ ssl: OpaquePointer, _ dane: DANEParameters) throws -> DANERecordLoad {
        guard SSL_dane_enable(ssl, dane.baseDomain) > 0 else {
            throw OpenSSLErrorQueue.error(.setupFailed, "SSL_dane_enable('\(dane.baseDomain)') failed")
        }
        let flag = COpenSSL_DANE_FLAG_NO_DANE_EE_NAMECHECKS()
        switch dane.skipDANEEENameChecks {
        case true?: _ = SSL_dane_set_flags(ssl, flag)
        case false?: _ = SSL_dane_clear_flags(ssl, flag)
        case nil: break  // the context's flags, copied by SSL_new
        }
        var usable: [TLSARecord] = []
        var unusable: [DANERecordLoad.Rejection] = []
        for record in dane.records {
            OpenSSLErrorQueue.clear()
            let result = record.data.withUnsafeBufferPointer { data in
                SSL_dane_tlsa_add(ssl, record.usage, record.selector, record.matchingType, data.baseAddress, data.count)
            }
            if result > 0 {
                usable.append(record)
            } else if result == 0 {
                let reason = OpenSSLErrorQueue.drain()
                unusable.append(.init(record: record, reason: reason.isEmpty ? "unusable" : reason))
            } else {
                throw OpenSSLErrorQueue.error(.setupFailed, "SSL_dane_tlsa_add failed for \(record)")
            }
        }
        return DANERecordLoad(usable: usable, unusable: unusable)
    }

    /// OpenSSL takes names as C strings: a NUL inside would cut the name short and check a
    /// different one. Names longer than a DNS name (RFC 1035 §2.3.4) are refused too.
    private static func checkHostName(_ name: String) throws {
        guard !name.isEmpty, name.utf8.count <= 255, !name.utf8.contains(0) else {
            throw TLSError(.setupFailed, "not a usable host name: \(name.debugDescription)")
        }
    }

    private static func isIPAddressLiteral(_ name: String) -> Bool {
        // RFC 6066 §3: literal IP addresses are not permitted in SNI.
        name.contains(":") || name.allSatisfy { $0.isNumber || $0 == "." }
    }

    static func verifyText(_ code: Int32) -> String {
        guard let text = X509_verify_cert_error_string(Int(code)) else { return "verify error \(code)" }
        return String(cString: text)
    }

    /// What the completed handshake says about the peer.
    func currentVerification() -> TLSPeerVerification {
        let resumed = SSL_session_reused(ssl) == 1
        let verifyResult = Int32(truncatingIfNeeded: SSL_get_verify_result(ssl))
        let dane: DANEOutcome
        if options?.dane == nil {
            dane = .notRequested
        } else if daneRecordLoad?.hasNoUsableRecords == true {
            dane = .noUsableRecords
        } else if resumed, let cachedDANE = cachedDANEOutcome {
            // A resumed handshake sends no certificate to match; the match is the cached one.
            dane = cachedDANE
        } else {
            dane = currentDANEMatch().map(DANEOutcome.matched) ?? .noMatch
        }
        let chain = peerCertificateChain()
        var peerCertificate: X509Certificate? = nil
        if let certificate = SSL_get1_peer_certificate(ssl) {
            peerCertificate = X509Certificate(takingOwnership: certificate)
        } else {
            // A client whose verify failed has the chain but not yet the session's peer
            // (OpenSSL sets it only after the chain verified): the leaf is the chain's first.
            peerCertificate = chain.first
        }
        let cipher = SSL_get_current_cipher(ssl).flatMap { SSL_CIPHER_get_name($0) }.map { String(cString: $0) }
        return TLSPeerVerification(
            verifyResult: verifyResult,
            verifyResultText: Self.verifyText(verifyResult),
            dane: dane,
            protocolVersion: String(cString: SSL_get_version(ssl)),
            cipher: cipher ?? "",
            alpnProtocol: negotiatedALPN(),
            resumed: resumed,
            peerCertificateSHA256: peerCertificate?.sha256,
            peerSPKISHA256: peerCertificate?.spkiSHA256,
            peerChain: chain.map { PeerCertificate(der: $0.derBytes, subjectPublicKeyInfo: $0.subjectPublicKeyInfoDER) })
    }

    /// The chain the peer sent, leaf first (SSL_get_peer_cert_chain: on a client it includes
    /// the leaf; the stack is not ours, each certificate is up-referenced before we own it).
    private func peerCertificateChain() -> [X509Certificate] {
        guard let stack = SSL_get_peer_cert_chain(ssl) else { return [] }
        let count = OPENSSL_sk_num(stack)
        guard count > 0 else { return [] }
        var chain: [X509Certificate] = []
        for index in 0..<count {
            guard let raw = OPENSSL_sk_value(stack, index) else { continue }
            let x509 = OpaquePointer(raw)
            X509_up_ref(x509)
            chain.append(X509Certificate(takingOwnership: x509))
        }
        return chain
    }

    /// The record and depth that matched: SSL_get0_dane_authority ≥ 0 means a match at that depth
    /// (0 = leaf), negative that DANE failed or was off; SSL_get0_dane_tlsa gives the record
    /// (SSL_CTX_dane_enable(3)).
    private func currentDANEMatch() -> DANEMatch? {
        Self.daneMatch(of: ssl)
    }

    /// The DANE match recorded on `ssl` by the last verification, if any.
    static func daneMatch(of ssl: OpaquePointer) -> DANEMatch? {
        var bareKey: OpaquePointer? = nil
        let depth = SSL_get0_dane_authority(ssl, nil, &bareKey)
        guard depth >= 0 else { return nil }
        var usage: UInt8 = 0
        var selector: UInt8 = 0
        var matchingType: UInt8 = 0
        var data: UnsafePointer<UInt8>? = nil
        var length = 0
        let tlsaDepth = SSL_get0_dane_tlsa(ssl, &usage, &selector, &matchingType, &data, &length)
        guard tlsaDepth >= 0 else { return nil }
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
        return DANEMatch(
            record: TLSARecord(usage: usage, selector: selector, matchingType: matchingType, data: bytes),
            depth: Int(depth), isBareTrustAnchorKey: bareKey != nil)
    }

    private var cachedDANEOutcome: DANEOutcome? {
        cachedVerification?.dane
    }

    private func negotiatedALPN() -> String? {
        var data: UnsafePointer<UInt8>? = nil
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }
}

/// Report-only sessions: let the handshake finish whatever the chain says; OpenSSL still
/// records the verify result, which the session reports.
private let acceptAnyChain: @convention(c) (Int32, OpaquePointer?) -> Int32 = { _, _ in 1 }
