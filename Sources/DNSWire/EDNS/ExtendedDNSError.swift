/// The Extended DNS Error option (RFC 8914 §2): an INFO-CODE saying why a response is what it
/// is, and optional UTF-8 EXTRA-TEXT for people.
///
///                                                  1   1   1   1   1   1
///          0   1   2   3   4   5   6   7   8   9   0   1   2   3   4   5
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
///     0: |                            OPTION-CODE                        |
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
///     2: |                           OPTION-LENGTH                       |
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
///     4: | INFO-CODE                                                     |
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
///     6: / EXTRA-TEXT ...                                                /
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
public struct ExtendedDNSError: Hashable, Sendable {
    public var infoCode: InfoCode
    /// Human text; invalid UTF-8 on the wire is replaced (U+FFFD) when decoded.
    public var extraText: String

    public init(_ infoCode: InfoCode, extraText: String = "") {
        self.infoCode = infoCode
        self.extraText = extraText
    }

    /// INFO-CODE values (RFC 8914 §4 and the IANA registry), total over 0...65535.
    public enum InfoCode: Hashable, Sendable {
        case other, unsupportedDNSKEYAlgorithm, unsupportedDSDigestType, staleAnswer, forgedAnswer
        case dnssecIndeterminate, dnssecBogus, signatureExpired, signatureNotYetValid, dnskeyMissing
        case rrsigsMissing, noZoneKeyBitSet, nsecMissing, cachedError, notReady, blocked, censored
        case filtered, prohibited, staleNXDOMAINAnswer, notAuthoritative, notSupported
        case noReachableAuthority, networkError, invalidData, signatureExpiredBeforeValid, tooEarly
        case unsupportedNSEC3IterationsValue, unableToConformToPolicy, synthesized, invalidQueryType
        case unassigned(UInt16)

        private static let ordered: [InfoCode] = [
            .other, .unsupportedDNSKEYAlgorithm, .unsupportedDSDigestType, .staleAnswer, .forgedAnswer,
            .dnssecIndeterminate, .dnssecBogus, .signatureExpired, .signatureNotYetValid, .dnskeyMissing,
            .rrsigsMissing, .noZoneKeyBitSet, .nsecMissing, .cachedError, .notReady, .blocked, .censored,
            .filtered, .prohibited, .staleNXDOMAINAnswer, .notAuthoritative, .notSupported,
            .noReachableAuthority, .networkError, .invalidData, .signatureExpiredBeforeValid, .tooEarly,
            .unsupportedNSEC3IterationsValue, .unableToConformToPolicy, .synthesized, .invalidQueryType,
        ]

        public init(rawValue: UInt16) {
            self = Int(rawValue) < InfoCode.ordered.count ? InfoCode.ordered[Int(rawValue)] : .unassigned(rawValue)
        }

        public var rawValue: UInt16 {
            if case .unassigned(let value) = self { return value }
            // Every named case is in `ordered`, so the search cannot fail.
            return UInt16(InfoCode.ordered.firstIndex(of: self) ?? 0)
        }
    }

    init(optionData data: ArraySlice<UInt8>, offset: Int) throws(DNSWireError) {
        guard data.count >= 2 else {
            throw DNSWireError(.badOption, "Extended DNS Error option shorter than 2 octets", offset: offset)
        }
        let start = data.startIndex
        infoCode = InfoCode(rawValue: UInt16(data[start]) << 8 | UInt16(data[start + 1]))
        var text = data.dropFirst(2)
        // RFC 8914 §2: some senders NUL-terminate; NULs at the end are not part of the text
        // (all of them go, so decoding what we encode gives the same value).
        while text.last == 0 { text = text.dropLast() }
        extraText = String(decoding: text, as: UTF8.self)
    }

    var optionData: [UInt8] {
        let code = infoCode.rawValue
        return [UInt8(code >> 8), UInt8(truncatingIfNeeded: code)] + Array(extraText.utf8)
    }
}
