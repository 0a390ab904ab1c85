internal import COpenSSL
internal import CShims
import DNSWire

/// A DNSKEY's public key, parsed once into an OpenSSL key so it can check many signatures
/// (the validator caches one per DNSKEY). Safe to share between threads.
public final class DNSSECPublicKey: @unchecked Sendable {
    /// The DNSKEY algorithm the key belongs to; it fixes the hash and signature form.
    public let algorithm: DNSSECAlgorithm
    /// The DNSKEY public-key field this key was read from, or would be written as.
    public let publicKeyField: [UInt8]
    let scheme: SignatureScheme
    let key: OpenSSLKey

    /// Parses the public-key field of a DNSKEY of `algorithm`: RFC 3110 §2 for RSA,
    /// X || Y for ECDSA (RFC 6605 §4), the raw key for Ed25519 / Ed448 (RFC 8080 §3).
    /// A field that is not a valid key of the algorithm (including an EC point off the curve)
    /// is an error, as is an algorithm this module does not implement.
    public init(algorithm: DNSSECAlgorithm, publicKeyField: [UInt8]) throws(CryptographyError) {
        guard let scheme = algorithm.signatureScheme else {
            throw CryptographyError(.unsupportedAlgorithm, "DNSSEC algorithm \(algorithm) is not supported")
        }
        self.algorithm = algorithm
        self.publicKeyField = publicKeyField
        self.scheme = scheme
        self.key = try Self.makeKey(scheme, publicKeyField)
    }

    /// Parses DNSKEY RDATA: flags (2 octets), protocol (1), algorithm (1), public key
    /// (RFC 4034 §2.1). The protocol must be 3 (RFC 4034 §2.1.2).
    public convenience init(dnskeyRDATA rdata: [UInt8]) throws(CryptographyError) {
        guard rdata.count > 4 else {
            throw CryptographyError(.malformedPublicKey, "DNSKEY RDATA of \(rdata.count) octets has no public key")
        }
        guard rdata[2] == 3 else {
            throw CryptographyError(.malformedPublicKey, "DNSKEY protocol is \(rdata[2]), not 3")
        }
        try self.init(algorithm: DNSSECAlgorithm(rawValue: rdata[3]), publicKeyField: Array(rdata[4...]))
    }

    /// Wraps a key we already hold (the public half of a private key), with its field.
    init(algorithm: DNSSECAlgorithm, scheme: SignatureScheme, key: OpenSSLKey, publicKeyField: [UInt8]) {
        self.algorithm = algorithm
        self.scheme = scheme
        self.key = key
        self.publicKeyField = publicKeyField
    }

    /// Reads a PEM SubjectPublicKeyInfo ("BEGIN PUBLIC KEY") as a key of `algorithm`.
    public convenience init(pemPublicKey pem: String, algorithm: DNSSECAlgorithm) throws(CryptographyError) {
        guard let scheme = algorithm.signatureScheme else {
            throw CryptographyError(.unsupportedAlgorithm, "DNSSEC algorithm \(algorithm) is not supported")
        }
        guard let pointer = MemoryBIO.read(pem, { PEM_read_bio_PUBKEY($0, nil, refusePassphrase, nil) }) else {
            throw CryptographyError.openSSL(.malformedPublicKey, "not a PEM public key")
        }
        let key = OpenSSLKey(takingOwnership: pointer)
        guard key.matches(scheme) else {
            throw CryptographyError(.malformedPublicKey, "the PEM key is not a key for \(algorithm)")
        }
        // Going through the DNSKEY field applies the same size rules as keys from the wire.
        try self.init(algorithm: algorithm, publicKeyField: try key.dnskeyPublicKeyField(scheme))
    }

    /// The key size in bits: the modulus for RSA, the curve size for ECDSA and EdDSA.
    public var keySize: Int { key.bits }

    /// The public key as PEM SubjectPublicKeyInfo, for `openssl dgst -verify` and friends.
    public func pemPublicKey() throws(CryptographyError) -> String {
        try key.pemPublicKey()
    }

    /// True when `signature` (in its DNSSEC wire form, RFC 4034 §3.1.8) is a valid signature
    /// of `signedData` by this key. A signature of the wrong shape is simply not valid.
    public func verify(signature: UnsafeRawBufferPointer, signedData: UnsafeRawBufferPointer) -> Bool {
        switch scheme {
        case .rsa(let digest):
            return digestVerify(digest: digest.evpMD, signature: signature, signedData: signedData)
        case .ecdsa(let curve):
            // RFC 6605 §4: r || s, each exactly the coordinate size; OpenSSL wants DER.
            guard let der = ECDSASignatureEncoding.der(fromWire: signature, coordinateSize: curve.coordinateSize)
            else { return false }
            return der.withUnsafeBytes {
                digestVerify(digest: curve.digest.evpMD, signature: $0, signedData: signedData)
            }
        case .eddsa(let curve):
            guard signature.count == curve.signatureSize else { return false }
            // Pure EdDSA hashes internally: no message digest (RFC 8080 §4, RFC 8032).
            return digestVerify(digest: nil, signature: signature, signedData: signedData)
        }
    }

    /// True when `signature` is a valid signature of `signedData` by this key.
    public func verify(signature: [UInt8], signedData: [UInt8]) -> Bool {
        signature.withUnsafeBytes { sig in
            signedData.withUnsafeBytes { data in verify(signature: sig, signedData: data) }
        }
    }

    /// One EVP_DigestVerify over the whole message with a fresh context.
    private func digestVerify(
        digest: OpaquePointer?, signature: UnsafeRawBufferPointer, signedData: UnsafeRawBufferPointer
    ) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        var placeholder: UInt8 = 0  // a real pointer for empty inputs
        let ok = withUnsafePointer(to: &placeholder) { emptyPointer -> Bool in
            guard EVP_DigestVerifyInit(context, nil, digest, nil, key.pointer) == 1 else { return false }
            let sigPointer = signature.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? emptyPointer
            let dataPointer = signedData.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? emptyPointer
            return EVP_DigestVerify(context, sigPointer, signature.count, dataPointer, signedData.count) == 1
        }
        if !ok { clearOpenSSLErrors() }
        return ok
    }

    /// Builds the OpenSSL key for a public-key field.
    private static func makeKey(_ scheme: SignatureScheme, _ field: [UInt8]) throws(CryptographyError) -> OpenSSLKey {
        switch scheme {
        case .rsa:
            let parts = try RSAPublicKeyField(parsing: field)
            let pointer = parts.modulus.withUnsafeBufferPointer { n in
                parts.exponent.withUnsafeBufferPointer { e in
                    CShims_rsa_public_key(n.baseAddress, n.count, e.baseAddress, e.count)
                }
            }
            guard let pointer else {
                throw CryptographyError.openSSL(.malformedPublicKey, "OpenSSL refused the RSA public key")
            }
            return OpenSSLKey(takingOwnership: pointer)
        case .ecdsa(let curve):
            guard field.count == 2 * curve.coordinateSize else {
                throw CryptographyError(
                    .malformedPublicKey,
                    "ECDSA public key is \(field.count) octets, not \(2 * curve.coordinateSize) (RFC 6605 §4)")
            }
            // SEC 1 §2.3.3 uncompressed point: 0x04 || X || Y.
            let point: [UInt8] = [0x04] + field
            let pointer = point.withUnsafeBufferPointer {
                CShims_ec_public_key(curve.groupName, $0.baseAddress, $0.count)
            }
            guard let pointer else {
                throw CryptographyError.openSSL(
                    .malformedPublicKey, "ECDSA public key is not a point on \(curve.groupName)")
            }
            return OpenSSLKey(takingOwnership: pointer)
        case .eddsa(let curve):
            guard field.count == curve.publicKeySize else {
                throw CryptographyError(
                    .malformedPublicKey,
                    "\(curve.keyType) public key is \(field.count) octets, not \(curve.publicKeySize) (RFC 8080 §3)")
            }
            let pointer = field.withUnsafeBufferPointer {
                EVP_PKEY_new_raw_public_key_ex(nil, curve.keyType, nil, $0.baseAddress, $0.count)
            }
            guard let pointer else {
                throw CryptographyError.openSSL(.malformedPublicKey, "OpenSSL refused the \(curve.keyType) public key")
            }
            return OpenSSLKey(takingOwnership: pointer)
        }
    }
}

/// Checks one DNSSEC signature without keeping the key: parses `publicKeyField`, then
/// verifies. Throws when the key is malformed or the algorithm unsupported (so the caller can
/// tell "insecure" from "bogus", RFC 4035 §5.2); returns false for a signature that does not
/// verify. Use `DNSSECPublicKey` directly to check many signatures with one key.
public func verifyDNSSECSignature(
    algorithm: DNSSECAlgorithm, publicKeyField: [UInt8], signedData: [UInt8], signature: [UInt8]
) throws(CryptographyError) -> Bool {
    let key = try DNSSECPublicKey(algorithm: algorithm, publicKeyField: publicKeyField)
    return key.verify(signature: signature, signedData: signedData)
}
