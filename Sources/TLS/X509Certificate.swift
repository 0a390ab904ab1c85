internal import COpenSSL
import Cryptography

/// One X.509 certificate, owning its OpenSSL X509 object. Gives the DER forms a TLSA record is
/// computed from (RFC 6698 §2.1.2: selector 0 the full certificate, 1 the SubjectPublicKeyInfo).
public final class X509Certificate: @unchecked Sendable {
    /// The X509 object; freed in deinit. Never mutated after init, so sharing is safe.
    let pointer: OpaquePointer

    /// Takes over one reference to `pointer` (the caller must not free it).
    init(takingOwnership pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        X509_free(pointer)
    }

    /// Parses the first certificate of a PEM text.
    public convenience init(pem: String) throws {
        let chain = try X509Certificate.chain(fromPEM: pem)
        guard let first = chain.first else {
            throw TLSError(.certificateLoadFailed, "no certificate in PEM text")
        }
        self.init(takingOwnership: X509_dup(first.pointer))
    }

    /// Parses every certificate of a PEM text (a leaf followed by its chain, or a bundle).
    public static func chain(fromPEM pem: String) throws -> [X509Certificate] {
        OpenSSLErrorQueue.clear()
        var bytes = Array(pem.utf8)
        let certificates: [X509Certificate] = bytes.withUnsafeMutableBytes { buffer in
            guard let bio = BIO_new_mem_buf(buffer.baseAddress, Int32(buffer.count)) else { return [] }
            defer { BIO_free(bio) }
            var found: [X509Certificate] = []
            while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) {
                found.append(X509Certificate(takingOwnership: certificate))
            }
            return found
        }
        // The loop ends on "no start line": expected, not an error.
        OpenSSLErrorQueue.clear()
        guard !certificates.isEmpty else {
            throw TLSError(.certificateLoadFailed, "no certificate in PEM text")
        }
        return certificates
    }

    /// The certificate's DER encoding (TLSA selector 0).
    public var derBytes: [UInt8] {
        var output: UnsafeMutablePointer<UInt8>? = nil
        let length = i2d_X509(pointer, &output)
        guard length > 0, let output else { return [] }
        defer { COpenSSL_OPENSSL_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: Int(length)))
    }

    /// The DER of the SubjectPublicKeyInfo (TLSA selector 1).
    public var subjectPublicKeyInfoDER: [UInt8] {
        guard let publicKey = X509_get_X509_PUBKEY(pointer) else { return [] }
        var output: UnsafeMutablePointer<UInt8>? = nil
        let length = i2d_X509_PUBKEY(publicKey, &output)
        guard length > 0, let output else { return [] }
        defer { COpenSSL_OPENSSL_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: Int(length)))
    }

    /// SHA-256 of the DER certificate.
    public var sha256: [UInt8] { MessageDigest.sha256(derBytes) }

    /// SHA-256 of the SubjectPublicKeyInfo.
    public var spkiSHA256: [UInt8] { MessageDigest.sha256(subjectPublicKeyInfoDER) }
}
