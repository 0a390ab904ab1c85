internal import COpenSSL
import DNSWire

/// A DNSSEC signing key (for the authoritative server): generated here or read from PEM
/// PKCS#8 or BIND's private-key file, it signs bytes into DNSSEC wire signatures and gives
/// its public half in DNSKEY form. Safe to share between threads.
public final class DNSSECPrivateKey: @unchecked Sendable {
    /// The DNSKEY algorithm of the key.
    public let algorithm: DNSSECAlgorithm
    /// The public half, with its DNSKEY public-key field.
    public let publicKey: DNSSECPublicKey
    let scheme: SignatureScheme
    let key: OpenSSLKey

    /// Wraps a private key of `algorithm`; checks that the key type fits the algorithm.
    init(algorithm: DNSSECAlgorithm, key: OpenSSLKey) throws(CryptographyError) {
        guard algorithm.isSupportedForSigning, let scheme = algorithm.signatureScheme else {
            throw CryptographyError(.unsupportedAlgorithm, "signing with \(algorithm) is not supported")
        }
        guard key.matches(scheme) else {
            throw CryptographyError(.malformedPrivateKey, "the key is not a key for \(algorithm)")
        }
        if case .rsa = scheme, !RSAPublicKeyField.modulusBits.contains(key.bits) {
            throw CryptographyError(
                .unsupportedKeySize, "RSA modulus of \(key.bits) bits is outside \(RSAPublicKeyField.modulusBits)")
        }
        self.algorithm = algorithm
        self.scheme = scheme
        self.key = key
        self.publicKey = DNSSECPublicKey(
            algorithm: algorithm, scheme: scheme, key: key, publicKeyField: try key.dnskeyPublicKeyField(scheme))
    }

    /// A new key for `algorithm` (8, 10, 13, 14, 15 or 16). RSA keys get `rsaModulusBits`
    /// bits (2048 by default) and the exponent 65537.
    public static func generate(
        _ algorithm: DNSSECAlgorithm, rsaModulusBits: Int = 2048
    ) throws(CryptographyError) -> DNSSECPrivateKey {
        guard algorithm.isSupportedForSigning, let scheme = algorithm.signatureScheme else {
            throw CryptographyError(.unsupportedAlgorithm, "signing with \(algorithm) is not supported")
        }
        let typeName: String
        switch scheme {
        case .rsa:
            guard RSAPublicKeyField.modulusBits.contains(rsaModulusBits) else {
                throw CryptographyError(
                    .unsupportedKeySize,
                    "RSA modulus of \(rsaModulusBits) bits is outside \(RSAPublicKeyField.modulusBits)")
            }
            typeName = "RSA"
        case .ecdsa: typeName = "EC"
        case .eddsa(let curve): typeName = curve.keyType
        }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else {
            throw CryptographyError.openSSL(.keyGenerationFailed, "no \(typeName) key generator")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else {
            throw CryptographyError.openSSL(.keyGenerationFailed, "EVP_PKEY_keygen_init failed")
        }
        switch scheme {
        case .rsa:
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(rsaModulusBits)) == 1 else {
                throw CryptographyError.openSSL(.keyGenerationFailed, "cannot set RSA key size")
            }
        case .ecdsa(let curve):
            guard EVP_PKEY_CTX_set_group_name(context, curve.groupName) == 1 else {
                throw CryptographyError.openSSL(.keyGenerationFailed, "cannot set EC group \(curve.groupName)")
            }
        case .eddsa:
            break
        }
        var generated: OpaquePointer?
        guard EVP_PKEY_generate(context, &generated) == 1, let generated else {
            throw CryptographyError.openSSL(.keyGenerationFailed, "EVP_PKEY_generate failed for \(algorithm)")
        }
        return try DNSSECPrivateKey(algorithm: algorithm, key: OpenSSLKey(takingOwnership: generated))
    }

    /// Reads an unencrypted PEM private key (PKCS#8 "BEGIN PRIVATE KEY", or the traditional
    /// RSA / EC forms OpenSSL also reads) as a key of `algorithm`. An encrypted key is refused.
    public convenience init(pemPrivateKey pem: String, algorithm: DNSSECAlgorithm) throws(CryptographyError) {
        guard let pointer = MemoryBIO.read(pem, { PEM_read_bio_PrivateKey($0, nil, refusePassphrase, nil) })
        else {
            throw CryptographyError.openSSL(.malformedPrivateKey, "not an unencrypted PEM private key")
        }
        try self.init(algorithm: algorithm, key: OpenSSLKey(takingOwnership: pointer))
    }

    /// The private key as unencrypted PEM PKCS#8 ("BEGIN PRIVATE KEY"). Whoever writes it to a
    /// file should make the file readable by its owner only.
    public func pemPrivateKey() throws(CryptographyError) -> String {
        try key.pemPrivateKey()
    }

    /// The DNSKEY public-key field of the key.
    public var publicKeyField: [UInt8] { publicKey.publicKeyField }

    /// Signs `data` (RRSIG RDATA without the signature, then the canonical RRset: RFC 4034
    /// §3.1.8.1) and returns the signature in DNSSEC wire form: PKCS#1 v1.5 for RSA, r || s
    /// for ECDSA (RFC 6605 §4), the raw EdDSA signature (RFC 8080 §4).
    public func sign(_ data: [UInt8]) throws(CryptographyError) -> [UInt8] {
        let digest: OpaquePointer?
        switch scheme {
        case .rsa(let hash): digest = hash.evpMD
        case .ecdsa(let curve): digest = curve.digest.evpMD
        case .eddsa: digest = nil
        }
        guard let context = EVP_MD_CTX_new() else {
            throw CryptographyError.openSSL(.signingFailed, "EVP_MD_CTX_new failed")
        }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, digest, nil, key.pointer) == 1 else {
            throw CryptographyError.openSSL(.signingFailed, "EVP_DigestSignInit failed")
        }
        let message = data.isEmpty ? [0] : data  // a real pointer, with the true length below
        var length = 0
        guard EVP_DigestSign(context, nil, &length, message, data.count) == 1, length > 0 else {
            throw CryptographyError.openSSL(.signingFailed, "cannot size the signature")
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, data.count) == 1 else {
            throw CryptographyError.openSSL(.signingFailed, "EVP_DigestSign failed")
        }
        signature.removeSubrange(length...)
        if case .ecdsa(let curve) = scheme {
            guard let wire = ECDSASignatureEncoding.wire(fromDER: signature, coordinateSize: curve.coordinateSize)
            else {
                throw CryptographyError(.signingFailed, "OpenSSL returned an ECDSA signature we cannot read")
            }
            return wire
        }
        return signature
    }
}
