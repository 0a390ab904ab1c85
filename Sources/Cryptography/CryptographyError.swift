internal import COpenSSL

/// The one error type of the Cryptography module: a code that tests compare and a human reason.
public struct CryptographyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, as a value callers can branch on.
    public enum Code: String, Equatable, Sendable {
        /// The DNSKEY public-key field (or DNSKEY RDATA) does not hold a key of the algorithm.
        case malformedPublicKey
        /// The key is well formed but outside the sizes we accept (RFC 3110: 512..4096 bits).
        case unsupportedKeySize
        /// The DNSSEC algorithm or DS digest type is not one this module implements.
        case unsupportedAlgorithm
        /// A private key (PEM or BIND format) could not be read, or does not fit its algorithm.
        case malformedPrivateKey
        /// A signature could not be produced.
        case signingFailed
        /// Key generation failed.
        case keyGenerationFailed
        /// Serializing a key (PEM, BIND format) failed.
        case encodingFailed
    }

    public let code: Code
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }

    /// An error whose reason ends with what OpenSSL's error queue says; the queue is emptied so
    /// a later failure does not report a stale cause.
    static func openSSL(_ code: Code, _ reason: String) -> CryptographyError {
        var details: [String] = []
        while true {
            let packed = ERR_get_error()
            if packed == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(packed, &buffer, buffer.count)
            details.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        let suffix = details.isEmpty ? "" : " (" + details.joined(separator: "; ") + ")"
        return CryptographyError(code, reason + suffix)
    }
}

/// Empties OpenSSL's thread-local error queue after an expected failure (a bad signature), so
/// it cannot leak into an unrelated error message later.
@inline(__always)
func clearOpenSSLErrors() {
    ERR_clear_error()
}
