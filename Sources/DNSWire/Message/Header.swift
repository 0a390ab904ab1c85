/// The message header (RFC 1035 §4.1.1, with AD and CD from RFC 4035 §3.2).
///
///                                     1  1  1  1  1  1
///       0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                      ID                       |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                    QDCOUNT                    |
///     |                    ANCOUNT                    |
///     |                    NSCOUNT                    |
///     |                    ARCOUNT                    |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// The counts are not stored: they follow from the sections when encoding.
public struct Header: Hashable, Sendable {
    public var id: UInt16
    public var isResponse: Bool
    public var opcode: Opcode
    public var isAuthoritative: Bool
    public var isTruncated: Bool
    public var recursionDesired: Bool
    public var recursionAvailable: Bool
    /// The reserved Z bit, kept as received (must be zero, RFC 1035 §4.1.1).
    public var z: Bool
    public var authenticData: Bool
    public var checkingDisabled: Bool
    /// The low 4 bits of the RCODE; `Message.rcode` combines them with the EDNS extension.
    public var rcodeLow: UInt8

    public init(id: UInt16 = 0, isResponse: Bool = false, opcode: Opcode = .query, isAuthoritative: Bool = false,
                isTruncated: Bool = false, recursionDesired: Bool = false, recursionAvailable: Bool = false,
                z: Bool = false, authenticData: Bool = false, checkingDisabled: Bool = false, rcodeLow: UInt8 = 0) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.isAuthoritative = isAuthoritative
        self.isTruncated = isTruncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.z = z
        self.authenticData = authenticData
        self.checkingDisabled = checkingDisabled
        self.rcodeLow = rcodeLow & 0x0F
    }

    /// The second 16-bit word of the header.
    public var flags: UInt16 {
        get {
            var word = UInt16(opcode.rawValue & 0x0F) << 11 | UInt16(rcodeLow & 0x0F)
            if isResponse { word |= 0x8000 }
            if isAuthoritative { word |= 0x0400 }
            if isTruncated { word |= 0x0200 }
            if recursionDesired { word |= 0x0100 }
            if recursionAvailable { word |= 0x0080 }
            if z { word |= 0x0040 }
            if authenticData { word |= 0x0020 }
            if checkingDisabled { word |= 0x0010 }
            return word
        }
        set {
            isResponse = newValue & 0x8000 != 0
            opcode = Opcode(UInt8(newValue >> 11 & 0x0F))
            isAuthoritative = newValue & 0x0400 != 0
            isTruncated = newValue & 0x0200 != 0
            recursionDesired = newValue & 0x0100 != 0
            recursionAvailable = newValue & 0x0080 != 0
            z = newValue & 0x0040 != 0
            authenticData = newValue & 0x0020 != 0
            checkingDisabled = newValue & 0x0010 != 0
            rcodeLow = UInt8(newValue & 0x0F)
        }
    }
}

/// OPCODE (RFC 1035 §4.1.1, RFC 1996, RFC 2136, RFC 8490): 4 bits.
public struct Opcode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0F }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue & 0x0F }

    public static let query = Opcode(0)
    public static let iquery = Opcode(1)
    public static let status = Opcode(2)
    public static let notify = Opcode(4)
    public static let update = Opcode(5)
    public static let dso = Opcode(6)

    public var description: String {
        switch rawValue {
        case 0: "QUERY"
        case 1: "IQUERY"
        case 2: "STATUS"
        case 4: "NOTIFY"
        case 5: "UPDATE"
        case 6: "DSO"
        default: "OPCODE\(rawValue)"
        }
    }
}

/// The full 12-bit RCODE (RFC 1035 §4.1.1 low 4 bits, RFC 6891 §6.1.3 upper 8 bits).
public struct RCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue & 0x0FFF }
    public init(_ rawValue: UInt16) { self.rawValue = rawValue & 0x0FFF }

    public static let noError = RCode(0)
    public static let formErr = RCode(1)
    public static let servFail = RCode(2)
    public static let nxDomain = RCode(3)
    public static let notImp = RCode(4)
    public static let refused = RCode(5)
    public static let yxDomain = RCode(6)
    public static let yxRRSet = RCode(7)
    public static let nxRRSet = RCode(8)
    public static let notAuth = RCode(9)
    public static let notZone = RCode(10)
    public static let badVers = RCode(16)
    public static let badCookie = RCode(23)

    static let names: [UInt16: String] = [
        0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED", 6: "YXDOMAIN",
        7: "YXRRSET", 8: "NXRRSET", 9: "NOTAUTH", 10: "NOTZONE", 16: "BADVERS", 23: "BADCOOKIE",
    ]

    public var description: String { RCode.names[rawValue] ?? "RCODE\(rawValue)" }
}
