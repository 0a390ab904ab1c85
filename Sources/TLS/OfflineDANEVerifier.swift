internal import COpenSSL

/// What OpenSSL's DANE logic says about a certificate chain checked offline.
public struct OfflineVerification: Sendable {
    /// The records OpenSSL took as usable (SSL_dane_tlsa_add returned 1).
    public let usableRecords: [TLSARecord]
    /// The records OpenSSL refused, with its reasons.
    public let unusableRecords: [DANERecordLoad.Rejection]
    /// X509_V_OK (0) or the X509_V_ERR code (62 hostname mismatch, 65 DANE no match, 10 expired);
    /// -1 when verification did not run (no usable record).
    public let verifyResult: Int32
    public let verifyResultText: String
    /// The depth of the certificate at which verification failed (X509_STORE_CTX_get_error_depth,
    /// the `depth=` that `openssl s_client` prints before its `verify error`); nil when it passed.
    public let errorDepth: Int?
    /// The record that matched and its depth, as SSL_get0_dane_authority reports them. Also set
    /// when the chain failed a check made after the match (a DANE-TA(2) match whose leaf does
    /// not carry the name, an expired leaf under a TA): OpenSSL keeps the match it found, and
    /// SSL_get0_dane_authority hides it only because the verify result is not X509_V_OK.
    public let match: DANEMatch?

    /// The chain verified and a record matched.
    public var passed: Bool { verifyResult == 0 && match != nil }

    public init(
        usableRecords: [TLSARecord], unusableRecords: [DANERecordLoad.Rejection], verifyResult: Int32,
        verifyResultText: String, errorDepth: Int?, match: DANEMatch?
    ) {
        self.usableRecords = usableRecords
        self.unusableRecords = unusableRecords
        self.verifyResult = verifyResult
        self.verifyResultText = verifyResultText
        self.errorDepth = errorDepth
        self.match = match
    }
}

/// Verifies a certificate chain against TLSA records without a connection, with the same
/// OpenSSL code a handshake runs: an SSL object carries the DANE state (SSL_dane_enable,
/// SSL_dane_tlsa_add), and X509_verify_cert runs on an X509_STORE_CTX that has that state
/// (X509_STORE_CTX_set0_dane) and the SSL's verify parameters, as OpenSSL's own
/// ssl_verify_cert_chain sets them up. The DANE setup and the reading of the match are the
/// ones `TLSSession` uses, so `dane verify` and a live handshake cannot disagree.
public enum OfflineVerifier {
    /// Which names to check, and the PKIX trust store for usages 0 and 1.
    public struct Options: Sendable {
        /// The TLSA base domain (RFC 7671 §3): the first reference identifier.
        public var baseDomain: String
        /// More names a DANE-TA(2) or PKIX match may carry (RFC 7672 §3.2.3).
        public var referenceIdentifiers: [String]
        /// Check no names at all (the tool's `--no-namechecks`).
        public var skipNameChecks: Bool
        /// Skip names for DANE-EE(3) matches (RFC 7671 §5.1; DESIGN rule 8); false checks them as
        /// OpenSSL does by default (`s_client` without `-dane_ee_no_namechecks`).
        public var skipDANEEENameChecks: Bool
        /// A PEM bundle of PKIX trust anchors for usages 0 and 1; nil for the system store.
        public var trustStoreFile: String?

        public init(
            baseDomain: String, referenceIdentifiers: [String] = [], skipNameChecks: Bool = false,
            skipDANEEENameChecks: Bool = true, trustStoreFile: String? = nil
        ) {
            self.baseDomain = baseDomain
            self.referenceIdentifiers = referenceIdentifiers
            self.skipNameChecks = skipNameChecks
            self.skipDANEEENameChecks = skipDANEEENameChecks
            self.trustStoreFile = trustStoreFile
        }
    }

    /// Checks `chainPEM` (leaf first) against `records`.
    public static func verify(chainPEM: String, records: [TLSARecord], options: Options) throws(OfflineVerifierError) -> OfflineVerification {
        let chain = try parseChain(chainPEM)
        defer { for certificate in chain { X509_free(certificate) } }
        OpenSSLErrorQueue.clear()
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw .init("SSL_CTX_new failed") }
        defer { SSL_CTX_free(context) }
        if let file = options.trustStoreFile {
            guard SSL_CTX_load_verify_locations(context, file, nil) == 1 else {
                throw .init("cannot load the trust store \(file): \(OpenSSLErrorQueue.drain())")
            }
        } else {
            _ = SSL_CTX_set_default_verify_paths(context)
        }
        guard SSL_CTX_dane_enable(context) > 0 else { throw .init("SSL_CTX_dane_enable failed") }
        guard let ssl = SSL_new(context) else { throw .init("SSL_new failed") }
        defer { SSL_free(ssl) }
        guard !options.baseDomain.isEmpty, !options.baseDomain.utf8.contains(0) else {
            throw .init("the TLSA base domain must be a non-empty name")
        }
        let load: DANERecordLoad
        do {
            load = try TLSSession.enableDANE(ssl, DANEParameters(
                baseDomain: options.baseDomain, records: records, skipDANEEENameChecks: options.skipDANEEENameChecks))
        } catch {
            throw .init("\(error)")
        }
        SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
        if options.skipNameChecks {
            // A NULL name clears the list SSL_dane_enable started with the base domain.
            _ = SSL_set1_host(ssl, nil)
        } else {
            for name in options.referenceIdentifiers where name != options.baseDomain {
                guard !name.utf8.contains(0), SSL_add1_host(ssl, name) == 1 else {
                    throw .init("cannot add reference identifier \(name.debugDescription)")
                }
            }
        }
        guard !load.usable.isEmpty else {
            return OfflineVerification(
                usableRecords: load.usable, unusableRecords: load.unusable, verifyResult: -1,
                verifyResultText: "no usable TLSA record", errorDepth: nil, match: nil)
        }
        let (result, errorDepth) = try runVerification(ssl: ssl, context: context, chain: chain)
        // SSL_get0_dane_authority answers only for a verify result of X509_V_OK; the match it
        // reads (the depth and record OpenSSL's DANE code found) stays set when a later check
        // failed, so ask with X509_V_OK, then put the real result back.
        SSL_set_verify_result(ssl, Int(X509_V_OK))
        let match = TLSSession.daneMatch(of: ssl)
        SSL_set_verify_result(ssl, Int(result))
        return OfflineVerification(
            usableRecords: load.usable, unusableRecords: load.unusable, verifyResult: result,
            verifyResultText: TLSSession.verifyText(result), errorDepth: result == X509_V_OK ? nil : errorDepth, match: match)
    }

    private static func runVerification(
        ssl: OpaquePointer, context: OpaquePointer, chain: [OpaquePointer]
    ) throws(OfflineVerifierError) -> (result: Int32, errorDepth: Int) {
        guard let storeContext = X509_STORE_CTX_new() else { throw .init("X509_STORE_CTX_new failed") }
        defer { X509_STORE_CTX_free(storeContext) }
        guard let untrusted = OPENSSL_sk_new_null() else { throw .init("OPENSSL_sk_new_null failed") }
        // The stack borrows the certificates (freed by the caller), so only the stack is freed.
        defer { OPENSSL_sk_free(untrusted) }
        for certificate in chain.dropFirst() {
            guard OPENSSL_sk_push(untrusted, UnsafeRawPointer(certificate)) > 0 else { throw .init("OPENSSL_sk_push failed") }
        }
        // parseChain never returns an empty chain, so the leaf exists.
        guard let leaf = chain.first,
            X509_STORE_CTX_init(storeContext, SSL_CTX_get_cert_store(context), leaf, untrusted) == 1
        else {
            throw .init("X509_STORE_CTX_init failed: \(OpenSSLErrorQueue.drain())")
        }
        _ = X509_STORE_CTX_set_ex_data(storeContext, SSL_get_ex_data_X509_STORE_CTX_idx(), UnsafeMutableRawPointer(ssl))
        // A client checks a server's chain with the "ssl_server" purpose.
        _ = X509_STORE_CTX_set_default(storeContext, "ssl_server")
        _ = X509_VERIFY_PARAM_set1(X509_STORE_CTX_get0_param(storeContext), SSL_get0_param(ssl))
        X509_STORE_CTX_set0_dane(storeContext, SSL_get0_dane(ssl))
        OpenSSLErrorQueue.clear()
        _ = X509_verify_cert(storeContext)
        let result = X509_STORE_CTX_get_error(storeContext)
        let errorDepth = Int(X509_STORE_CTX_get_error_depth(storeContext))
        OpenSSLErrorQueue.clear()
        return (result, errorDepth)
    }

    /// Every certificate of a PEM text, each an X509 reference the caller frees.
    private static func parseChain(_ pem: String) throws(OfflineVerifierError) -> [OpaquePointer] {
        OpenSSLErrorQueue.clear()
        var bytes = Array(pem.utf8)
        let certificates: [OpaquePointer] = bytes.withUnsafeMutableBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return [] }
            defer { BIO_free(bio) }
            var found: [OpaquePointer] = []
            while found.count < 64, let certificate = PEM_read_bio_X509(bio, nil, nil, nil) {
                found.append(certificate)
            }
            return found
        }
        OpenSSLErrorQueue.clear()
        guard !certificates.isEmpty else { throw .init("no certificate in the PEM text") }
        return certificates
    }

}

/// A setup failure of the offline verifier (bad PEM, unreadable trust store).
public struct OfflineVerifierError: Error, Sendable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
