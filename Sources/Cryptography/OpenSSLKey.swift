internal import COpenSSL

/// Owns one EVP_PKEY and frees it in `deinit`. The public and private DNSSEC key types wrap
/// one of these; the raw pointer never leaves the module.
///
/// OpenSSL 3 allows an EVP_PKEY to be used from several threads at once for read-only work
/// (verify, sign, export), which is all this module does after construction.
final class OpenSSLKey: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Takes over a key from an OpenSSL call that returned a new reference.
    init(takingOwnership pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Size of the key in bits (the modulus for RSA, the group order for EC).
    var bits: Int { Int(EVP_PKEY_get_bits(pointer)) }

    /// True when the key is of the type and curve `scheme` needs.
    func matches(_ scheme: SignatureScheme) -> Bool {
        switch scheme {
        case .rsa:
            return EVP_PKEY_is_a(pointer, "RSA") == 1
        case .ecdsa(let curve):
            guard EVP_PKEY_is_a(pointer, "EC") == 1 else { return false }
            let group = utf8Parameter("group")
            // OpenSSL may report the NIST name or the SECG/X9.62 one.
            switch curve {
            case .p256: return group == "prime256v1" || group == "P-256"
            case .p384: return group == "secp384r1" || group == "P-384"
            }
        case .eddsa(let curve):
            return EVP_PKEY_is_a(pointer, curve.keyType) == 1
        }
    }

    /// A big-number parameter (for example "n", "e", "qx") as unsigned big-endian octets,
    /// left-padded with zeros to `paddedTo` when given. Nil when the key has no such parameter
    /// or the number does not fit.
    func bigNumberParameter(_ name: String, paddedTo width: Int? = nil) -> [UInt8]? {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pointer, name, &number) == 1, let number else {
            clearOpenSSLErrors()
            return nil
        }
        defer { BN_clear_free(number) }
        let size = (Int(BN_num_bits(number)) + 7) / 8
        let width = width ?? size
        guard size <= width else { return nil }
        var out = [UInt8](repeating: 0, count: width)
        let written = out.withUnsafeMutableBufferPointer {
            BN_bn2binpad(number, $0.baseAddress, Int32(width))
        }
        return written == Int32(width) ? out : nil
    }

    /// A short text parameter such as the EC group name.
    func utf8Parameter(_ name: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 80)
        var length = 0
        guard EVP_PKEY_get_utf8_string_param(pointer, name, &buffer, buffer.count, &length) == 1 else {
            clearOpenSSLErrors()
            return nil
        }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The DNSKEY public-key field for this key: RFC 3110 §2 for RSA, X || Y for ECDSA
    /// (RFC 6605 §4), the raw key for EdDSA (RFC 8080 §3).
    func dnskeyPublicKeyField(_ scheme: SignatureScheme) throws(CryptographyError) -> [UInt8] {
        switch scheme {
        case .rsa:
            guard let n = bigNumberParameter("n"), let e = bigNumberParameter("e") else {
                throw CryptographyError.openSSL(.encodingFailed, "cannot read the RSA modulus and exponent")
            }
            return RSAPublicKeyField.encode(exponent: e, modulus: n)
        case .ecdsa(let curve):
            guard let x = bigNumberParameter("qx", paddedTo: curve.coordinateSize),
                let y = bigNumberParameter("qy", paddedTo: curve.coordinateSize)
            else {
                throw CryptographyError.openSSL(.encodingFailed, "cannot read the EC public point")
            }
            return x + y
        case .eddsa(let curve):
            var out = [UInt8](repeating: 0, count: curve.publicKeySize)
            var length = out.count
            guard EVP_PKEY_get_raw_public_key(pointer, &out, &length) == 1, length == out.count else {
                throw CryptographyError.openSSL(.encodingFailed, "cannot read the raw \(curve.keyType) public key")
            }
            return out
        }
    }

    /// The public key as a PEM SubjectPublicKeyInfo ("BEGIN PUBLIC KEY"), as `openssl pkey
    /// -pubin` and `openssl dgst -verify` read it.
    func pemPublicKey() throws(CryptographyError) -> String {
        try MemoryBIO.write { bio in PEM_write_bio_PUBKEY(bio, pointer) }
    }

    /// The private key as unencrypted PEM PKCS#8 ("BEGIN PRIVATE KEY").
    func pemPrivateKey() throws(CryptographyError) -> String {
        try MemoryBIO.write { bio in PEM_write_bio_PrivateKey(bio, pointer, nil, nil, 0, nil, nil) }
    }
}

/// A memory BIO for PEM in and out, freed right after use.
enum MemoryBIO {
    /// Runs `body` on an empty memory BIO and returns what it wrote as text.
    static func write(_ body: (OpaquePointer) -> Int32) throws(CryptographyError) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else {
            throw CryptographyError.openSSL(.encodingFailed, "BIO_new failed")
        }
        defer { BIO_free(bio) }
        guard body(bio) == 1 else {
            throw CryptographyError.openSSL(.encodingFailed, "PEM encoding failed")
        }
        let pending = Int(BIO_ctrl_pending(bio))
        var out = [UInt8](repeating: 0, count: pending)
        let read = out.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32(pending)) }
        guard read == Int32(pending) else {
            throw CryptographyError.openSSL(.encodingFailed, "reading the PEM back failed")
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Runs `body` on a read-only memory BIO over `text` (valid only during the call).
    static func read<T>(_ text: String, _ body: (OpaquePointer) -> T?) -> T? {
        var bytes = Array(text.utf8)
        guard bytes.count < Int(Int32.max) else { return nil }
        if bytes.isEmpty { bytes = [0] }  // BIO_new_mem_buf wants a real pointer
        return bytes.withUnsafeBytes { raw -> T? in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(text.utf8.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }
}

/// A PEM pass-phrase callback that refuses: an encrypted key is an error, never a prompt on
/// the terminal (OpenSSL's default when the callback is NULL).
let refusePassphrase:
    @convention(c) (
        UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?
    ) -> Int32 = { _, _, _, _ in -1 }
