/// A cursor over the RDATA fields of one record in presentation format, with the field
/// parsers every type shares (numbers, names, character-strings, hex, base64).
///
/// Errors carry the line and column of the offending token (or of the last token when a
/// field is missing).
public struct PresentationReader {
    public let tokens: [PresentationToken]
    public private(set) var index: Int = 0
    /// Completes relative names in RDATA.
    public let origin: Name?

    public init(tokens: [PresentationToken], origin: Name?) {
        self.tokens = tokens
        self.origin = origin
    }

    public var isAtEnd: Bool { index >= tokens.count }

    /// The next token without consuming it.
    public var peek: PresentationToken? { isAtEnd ? nil : tokens[index] }

    public func error(_ code: DNSWireError.Code, _ reason: String, at token: PresentationToken? = nil) -> DNSWireError {
        let place = token ?? (isAtEnd ? tokens.last : tokens[index])
        return DNSWireError(code, reason, line: place?.line, column: place?.column)
    }

    /// The next token; `what` names the field for the error when there is none.
    public mutating func next(_ what: String) throws(DNSWireError) -> PresentationToken {
        guard index < tokens.count else { throw error(.missingField, "missing \(what)") }
        defer { index += 1 }
        return tokens[index]
    }

    /// Fails when fields are left over.
    public func finish() throws(DNSWireError) {
        guard isAtEnd else {
            throw error(.extraField, "unexpected field \"\(String(decoding: tokens[index].text, as: UTF8.self))\"")
        }
    }

    /// All remaining tokens' text, concatenated (for hex and base64 split by whitespace).
    public mutating func remainingText() -> [UInt8] {
        var joined: [UInt8] = []
        while index < tokens.count {
            joined.append(contentsOf: tokens[index].text)
            index += 1
        }
        return joined
    }

    // MARK: Numbers

    public mutating func unsigned(_ what: String, max: UInt64) throws(DNSWireError) -> UInt64 {
        let token = try next(what)
        guard let value = parseDecimal(token.text), value <= max else {
            throw error(.badSyntax, "\(what) must be a number 0...\(max), not \"\(String(decoding: token.text, as: UTF8.self))\"", at: token)
        }
        return value
    }

    public mutating func uint8(_ what: String) throws(DNSWireError) -> UInt8 {
        UInt8(try unsigned(what, max: UInt64(UInt8.max)))
    }

    public mutating func uint16(_ what: String) throws(DNSWireError) -> UInt16 {
        UInt16(try unsigned(what, max: UInt64(UInt16.max)))
    }

    public mutating func uint32(_ what: String) throws(DNSWireError) -> UInt32 {
        UInt32(try unsigned(what, max: UInt64(UInt32.max)))
    }

    /// A 32-bit duration: plain seconds or BIND-style units (`1h30m`, `2w`), as SOA timers
    /// are often written.
    public mutating func duration(_ what: String) throws(DNSWireError) -> UInt32 {
        let token = try next(what)
        guard let value = parseTTL(token.text) else {
            throw error(.badSyntax, "\(what) must be a duration, not \"\(String(decoding: token.text, as: UTF8.self))\"", at: token)
        }
        return value
    }

    // MARK: Names and strings

    public mutating func name(_ what: String) throws(DNSWireError) -> Name {
        let token = try next(what)
        return try Name(token: token, origin: origin)
    }

    /// A <character-string> (RFC 1035 §5.1): quoted or not, escapes decoded, ≤ 255 octets.
    public mutating func characterString(_ what: String) throws(DNSWireError) -> [UInt8] {
        let token = try next(what)
        return try decodeCharacterString(token)
    }

    /// An RR type mnemonic or `TYPEnnn`.
    public mutating func rrType(_ what: String) throws(DNSWireError) -> RRType {
        let token = try next(what)
        guard let type = RRType(mnemonic: String(decoding: token.text, as: UTF8.self)) else {
            throw error(.unknownMnemonic, "unknown type \"\(String(decoding: token.text, as: UTF8.self))\"", at: token)
        }
        return type
    }

    // MARK: Binary

    /// Hex digits in the remaining fields (whitespace between them allowed).
    public mutating func remainingHex(_ what: String, allowEmpty: Bool = false) throws(DNSWireError) -> [UInt8] {
        let first = peek
        let text = remainingText()
        guard allowEmpty || !text.isEmpty else { throw error(.missingField, "missing \(what)") }
        guard let data = BinaryText.decodeHex(text) else {
            throw error(.badEncoding, "\(what) is not valid hex", at: first)
        }
        return data
    }

    /// Base64 in the remaining fields (whitespace between them allowed).
    public mutating func remainingBase64(_ what: String, allowEmpty: Bool = false) throws(DNSWireError) -> [UInt8] {
        let first = peek
        let text = remainingText()
        guard allowEmpty || !text.isEmpty else { throw error(.missingField, "missing \(what)") }
        guard let data = BinaryText.decodeBase64(text) else {
            throw error(.badEncoding, "\(what) is not valid base64", at: first)
        }
        return data
    }
}

/// Decodes a <character-string> token: escapes `\X` and `\DDD`; at most 255 octets.
public func decodeCharacterString(_ token: PresentationToken) throws(DNSWireError) -> [UInt8] {
    let data = try decodeEscapedText(token)
    guard data.count <= 255 else {
        throw DNSWireError(.tooLarge, "character-string of \(data.count) octets is over 255", line: token.line, column: token.column)
    }
    return data
}

/// Decodes the escapes `\X` and `\DDD` of a token's text, with no length limit.
public func decodeEscapedText(_ token: PresentationToken) throws(DNSWireError) -> [UInt8] {
    let text = token.text
    guard text.contains(0x5C) else { return text }
    var out: [UInt8] = []
    out.reserveCapacity(text.count)
    var index = 0
    while index < text.count {
        if text[index] == 0x5C {
            let (value, used) = try decodeEscape(text, at: index, line: token.line, column: token.column)
            out.append(value)
            index += used
        } else {
            out.append(text[index])
            index += 1
        }
    }
    return out
}

/// A <character-string> in presentation form: always quoted, with `"` and `\` escaped and
/// non-printable octets as `\DDD`.
func characterStringPresentation(_ data: [UInt8]) -> String {
    var out: [UInt8] = [0x22]
    for byte in data { appendEscaped(byte, to: &out, specials: [0x22, 0x5C], quoted: true) }
    out.append(0x22)
    return String(decoding: out, as: UTF8.self)
}

/// Strict unsigned decimal: digits only, no sign, at most 20 digits, no overflow.
func parseDecimal(_ text: [UInt8]) -> UInt64? {
    guard !text.isEmpty, text.count <= 20 else { return nil }
    var value: UInt64 = 0
    for character in text {
        guard isDigit(character) else { return nil }
        let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = times.addingReportingOverflow(UInt64(character - 0x30))
        guard !overflow1, !overflow2 else { return nil }
        value = sum
    }
    return value
}

/// A TTL or duration: decimal seconds, or BIND units (`w d h m s`, any case, e.g. `1h30m`).
/// Nil when malformed or over 2^32-1.
public func parseTTL(_ text: [UInt8]) -> UInt32? {
    if let plain = parseDecimal(text) { return plain <= UInt64(UInt32.max) ? UInt32(plain) : nil }
    guard !text.isEmpty, text.count <= 40 else { return nil }
    var total: UInt64 = 0
    var current: UInt64 = 0
    var haveDigits = false
    for character in text {
        if isDigit(character) {
            current = current * 10 + UInt64(character - 0x30)
            haveDigits = true
            guard current <= UInt64(UInt32.max) else { return nil }
            continue
        }
        guard haveDigits else { return nil }
        let unit: UInt64
        switch character | 0x20 {
        case 0x77: unit = 604_800  // w
        case 0x64: unit = 86_400  // d
        case 0x68: unit = 3_600  // h
        case 0x6D: unit = 60  // m
        case 0x73: unit = 1  // s
        default: return nil
        }
        total += current * unit
        guard total <= UInt64(UInt32.max) else { return nil }
        current = 0
        haveDigits = false
    }
    guard !haveDigits else { return nil }  // "1h30" is ambiguous: reject
    return UInt32(total)
}
