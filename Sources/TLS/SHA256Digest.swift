import COpenSSL

/// SHA-256 over bytes, with libcrypto's EVP_Digest. Used for the certificate and SPKI
/// fingerprints that the audit log reports (the Cryptography module has the general digests).
enum SHA256Digest {
    static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = EVP_Digest(bytes.baseAddress, bytes.count, &output, &length, EVP_sha256(), nil)
        // EVP_Digest with SHA-256 only fails when out of memory.
        precondition(ok == 1, "EVP_Digest(SHA-256) failed")
        return Array(output.prefix(Int(length)))
    }

    static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0) }
    }
}
