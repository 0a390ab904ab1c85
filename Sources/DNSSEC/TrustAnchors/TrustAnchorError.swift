/// Why a trust-anchor file could not be read: one error type for the trust-anchor readers, with
/// a code tests compare and a human reason naming the file and line.
public struct TrustAnchorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for programs.
    public enum Code: String, Sendable, Equatable {
        /// The zone-file form did not parse.
        case badZoneFile
        /// A BIND `trust-anchors` / `managed-keys` / `trusted-keys` statement is malformed.
        case badSyntax
        /// A key or digest field is not valid base64 / hex, or a number is out of range.
        case badValue
        /// The file holds no DS or DNSKEY record.
        case noAnchors
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}
