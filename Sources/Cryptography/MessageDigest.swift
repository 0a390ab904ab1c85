internal import COpenSSL

/// A streaming hash on one EVP_MD_CTX: feed bytes with `update`, read the digest with
/// `finalize`, which also makes the object ready for a new message.
///
/// Not thread-safe: one digest computation belongs to one task at a time.
public final class MessageDigest {
    public let algorithm: DigestAlgorithm
    private let context: OpaquePointer

    public init(_ algorithm: DigestAlgorithm) {
        self.algorithm = algorithm
        // Only allocation failure makes EVP_MD_CTX_new return nil.
        guard let context = EVP_MD_CTX_new() else {
            fatalError("EVP_MD_CTX_new: out of memory")
        }
        self.context = context
        start()
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    private func start() {
        // Cannot fail for a fetched digest of the default provider.
        let status = EVP_DigestInit_ex2(context, algorithm.evpMD, nil)
        precondition(status == 1, "EVP_DigestInit_ex2 failed for \(algorithm)")
    }

    /// Adds bytes to the message.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        let status = EVP_DigestUpdate(context, base, bytes.count)
        precondition(status == 1, "EVP_DigestUpdate failed")
    }

    /// Adds bytes to the message.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Adds bytes to the message.
    public func update(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Returns the digest of everything added since the last `finalize` (or `init`) and starts
    /// a new message.
    public func finalize() -> [UInt8] {
        var output = [UInt8](repeating: 0, count: algorithm.outputSize)
        var length: UInt32 = 0
        let status = output.withUnsafeMutableBufferPointer {
            EVP_DigestFinal_ex(context, $0.baseAddress, &length)
        }
        precondition(status == 1 && Int(length) == output.count, "EVP_DigestFinal_ex failed")
        start()
        return output
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ algorithm: DigestAlgorithm, _ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: algorithm.outputSize)
        var length: UInt32 = 0
        let status = output.withUnsafeMutableBufferPointer { out in
            // EVP_Digest wants a non-null pointer even for an empty message.
            withUnsafeBytes(of: 0 as UInt8) { empty in
                EVP_Digest(
                    bytes.baseAddress ?? empty.baseAddress, bytes.count, out.baseAddress, &length,
                    algorithm.evpMD, nil)
            }
        }
        precondition(status == 1 && Int(length) == output.count, "EVP_Digest failed")
        return output
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ algorithm: DigestAlgorithm, _ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash(algorithm, $0) }
    }

    /// The digest of `bytes` in one call.
    public static func hash(_ algorithm: DigestAlgorithm, _ bytes: ArraySlice<UInt8>) -> [UInt8] {
        bytes.withUnsafeBytes { hash(algorithm, $0) }
    }

    /// SHA-1 of `bytes`.
    public static func sha1(_ bytes: [UInt8]) -> [UInt8] { hash(.sha1, bytes) }
    /// SHA-256 of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] { hash(.sha256, bytes) }
    /// SHA-384 of `bytes`.
    public static func sha384(_ bytes: [UInt8]) -> [UInt8] { hash(.sha384, bytes) }
    /// SHA-512 of `bytes`.
    public static func sha512(_ bytes: [UInt8]) -> [UInt8] { hash(.sha512, bytes) }
}
