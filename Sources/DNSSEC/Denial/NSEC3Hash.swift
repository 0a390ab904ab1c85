import Cryptography
import DNSWire

/// The NSEC3 owner-name hash (RFC 5155 §5):
///
///     IH(salt, x, 0) = H(x || salt)
///     IH(salt, x, k) = H(IH(salt, x, k-1) || salt), for k > 0
///
/// with x the name in canonical (lower-case, uncompressed) wire form and H SHA-1 (hash
/// algorithm 1, the only one defined). The result is IH(salt, name, iterations).
public enum NSEC3Hash {
    /// The hash, or nil for a hash algorithm other than 1.
    public static func hash(_ name: Name, algorithm: UInt8 = 1, salt: [UInt8], iterations: UInt16) -> [UInt8]? {
        guard algorithm == 1 else { return nil }
        var input = name.lowercased().wire
        input.append(contentsOf: salt)
        var digest = MessageDigest.sha1(input)
        if iterations > 0 {
            var buffer = [UInt8]()
            buffer.reserveCapacity(digest.count + salt.count)
            for _ in 0..<iterations {
                buffer.removeAll(keepingCapacity: true)
                buffer.append(contentsOf: digest)
                buffer.append(contentsOf: salt)
                digest = MessageDigest.sha1(buffer)
            }
        }
        return digest
    }

    /// The hash as the first label of an NSEC3 owner: unpadded base32hex, lower case.
    public static func label(_ name: Name, salt: [UInt8], iterations: UInt16) -> String? {
        hash(name, salt: salt, iterations: iterations).map { BinaryText.base32Hex($0).lowercased() }
    }
}
