/// One EDNS(0) option (RFC 6891 §6.1.2): a code and its data. Known options are parsed
/// (and malformed ones rejected); others are kept as bytes.
///
///                  +0 (MSB)                            +1 (LSB)
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
///     0: |                          OPTION-CODE                          |
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
///     2: |                         OPTION-LENGTH                         |
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
///     4: /                          OPTION-DATA                          /
///        +---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
public enum EDNSOption: Hashable, Sendable {
    /// Code 8, RFC 7871.
    case clientSubnet(ClientSubnet)
    /// Code 10, RFC 7873.
    case cookie(Cookie)
    /// Code 12, RFC 7830: this many octets of padding (sent as zeros; content ignored).
    case padding(Int)
    /// Code 15, RFC 8914.
    case extendedError(ExtendedDNSError)
    case unknown(code: UInt16, data: [UInt8])

    public static let clientSubnetCode: UInt16 = 8
    public static let cookieCode: UInt16 = 10
    public static let paddingCode: UInt16 = 12
    public static let extendedErrorCode: UInt16 = 15

    public var code: UInt16 {
        switch self {
        case .clientSubnet: EDNSOption.clientSubnetCode
        case .cookie: EDNSOption.cookieCode
        case .padding: EDNSOption.paddingCode
        case .extendedError: EDNSOption.extendedErrorCode
        case .unknown(let code, _): code
        }
    }

    /// OPTION-DATA.
    public var data: [UInt8] {
        switch self {
        case .clientSubnet(let subnet): subnet.optionData
        case .cookie(let cookie): cookie.optionData
        case .padding(let count): [UInt8](repeating: 0, count: count)
        case .extendedError(let error): error.optionData
        case .unknown(_, let data): data
        }
    }

    /// Parses OPTION-DATA of `code`.
    public init(code: UInt16, data: ArraySlice<UInt8>, offset: Int = 0) throws(DNSWireError) {
        switch code {
        case EDNSOption.clientSubnetCode: self = .clientSubnet(try ClientSubnet(optionData: data, offset: offset))
        case EDNSOption.cookieCode: self = .cookie(try Cookie(optionData: data, offset: offset))
        case EDNSOption.paddingCode: self = .padding(data.count)
        case EDNSOption.extendedErrorCode: self = .extendedError(try ExtendedDNSError(optionData: data, offset: offset))
        default: self = .unknown(code: code, data: Array(data))
        }
    }

    /// Reads options from `reader` up to its limit.
    static func readAll(from reader: inout DNSReader) throws(DNSWireError) -> [EDNSOption] {
        var options: [EDNSOption] = []
        while !reader.isAtEnd {
            let start = reader.offset
            let code = try reader.readUInt16()
            let length = Int(try reader.readUInt16())
            guard length <= reader.remaining else {
                throw DNSWireError(.badOption, "option \(code) of \(length) octets runs past the OPT RDATA", offset: start)
            }
            let data = reader.bytes[reader.offset..<(reader.offset + length)]
            reader.offset += length
            options.append(try EDNSOption(code: code, data: data, offset: start))
        }
        return options
    }

    func write(to writer: inout DNSWriter) throws(DNSWireError) {
        let data = self.data
        guard data.count <= 0xFFFF else { throw DNSWireError(.tooLarge, "option \(code) is over 65535 octets") }
        writer.writeUInt16(code)
        writer.writeUInt16(UInt16(data.count))
        writer.writeBytes(data)
    }
}
