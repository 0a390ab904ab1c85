/// Names in presentation format (RFC 1035 §5.1): labels separated by dots, `\X` for a
/// literal character and `\DDD` for an octet in decimal; a trailing dot makes the name
/// absolute, otherwise the origin is appended; `@` alone is the origin.
extension Name {
    /// Parses a name as written in a zone file. `origin` completes relative names.
    public init(presentation text: [UInt8], origin: Name?, line: Int = 0, column: Int = 0) throws(DNSWireError) {
        func fail(_ code: DNSWireError.Code, _ reason: String) -> DNSWireError {
            DNSWireError(code, reason, line: line, column: column)
        }
        guard !text.isEmpty else { throw fail(.badSyntax, "empty name") }
        if text == [0x40] {  // "@"
            guard let origin else { throw fail(.relativeName, "\"@\" with no origin") }
            self = origin
            return
        }
        if text == [0x2E] {  // "."
            self = .root
            return
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count + 2)
        var labelStart = 0
        bytes.append(0)  // length placeholder of the first label
        var index = 0
        var absolute = false
        while index < text.count {
            let byte = text[index]
            if byte == 0x2E {  // "."
                let length = bytes.count - labelStart - 1
                guard length > 0 else { throw fail(.badSyntax, "empty label in name") }
                guard length <= Name.maxLabelLength else {
                    throw fail(.labelTooLong, "label of \(length) octets is over 63")
                }
                bytes[labelStart] = UInt8(length)
                index += 1
                if index == text.count {
                    absolute = true
                } else {
                    labelStart = bytes.count
                    bytes.append(0)
                }
                continue
            }
            if byte == 0x5C {  // "\"
                let (value, used) = try decodeEscape(text, at: index, line: line, column: column)
                bytes.append(value)
                index += used
                continue
            }
            bytes.append(byte)
            index += 1
        }
        if !absolute {
            let length = bytes.count - labelStart - 1
            guard length > 0 else { throw fail(.badSyntax, "empty label in name") }
            guard length <= Name.maxLabelLength else {
                throw fail(.labelTooLong, "label of \(length) octets is over 63")
            }
            bytes[labelStart] = UInt8(length)
            guard let origin else {
                throw fail(.relativeName, "relative name with no origin")
            }
            bytes.append(contentsOf: origin.wire)
        } else {
            bytes.append(0)
        }
        guard bytes.count <= Name.maxWireLength else {
            throw fail(.nameTooLong, "name is \(bytes.count) octets, over 255")
        }
        self.init(uncheckedWire: bytes)
    }

    /// Parses a name as written in a zone file.
    public init(presentation text: String, origin: Name? = nil) throws(DNSWireError) {
        try self.init(presentation: Array(text.utf8), origin: origin)
    }

    /// Parses a name from a lexer token (its escapes not yet decoded).
    public init(token: PresentationToken, origin: Name?) throws(DNSWireError) {
        try self.init(presentation: token.text, origin: origin, line: token.line, column: token.column)
    }

    /// The absolute presentation form with a trailing dot; special characters are escaped
    /// (`\.`, `\\`, `\"`, ...) and octets outside printable ASCII written as `\DDD`.
    public var presentation: String {
        if isRoot { return "." }
        var out: [UInt8] = []
        out.reserveCapacity(wire.count + 8)
        var offset = 0
        while wire[offset] != 0 {
            let length = Int(wire[offset])
            for byte in wire[(offset + 1)..<(offset + 1 + length)] {
                appendEscaped(byte, to: &out, specials: nameSpecials)
            }
            out.append(0x2E)
            offset += 1 + length
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Name: CustomStringConvertible, ExpressibleByStringLiteral {
    public var description: String { presentation }

    /// For literals in code and tests only: the text is read relative to the root (so "www"
    /// is "www."), and an invalid literal is a programming error that stops the program.
    public init(stringLiteral value: String) {
        do {
            try self.init(presentation: value, origin: .root)
        } catch {
            preconditionFailure("invalid name literal \(value): \(error)")
        }
    }
}

/// Characters escaped with a backslash inside a name label: `.`, `\`, `"`, `;`, `(`, `)`,
/// `@`, `$` (so the text re-reads the same in a zone file).
let nameSpecials: [UInt8] = Array("\\.\";()@$".utf8)

/// Appends `byte` in presentation form: printable ASCII as is (with a backslash before the
/// given specials), everything else as `\DDD`.
/// Inside quotes (`quoted`), a space stays as it is.
func appendEscaped(_ byte: UInt8, to out: inout [UInt8], specials: [UInt8], quoted: Bool = false) {
    if quoted && byte == 0x20 {
        out.append(byte)
    } else if byte <= 0x20 || byte >= 0x7F {
        out.append(0x5C)
        out.append(0x30 + byte / 100)
        out.append(0x30 + (byte / 10) % 10)
        out.append(0x30 + byte % 10)
    } else {
        if specials.contains(byte) { out.append(0x5C) }
        out.append(byte)
    }
}

/// Decodes the escape starting at `text[index]` (a backslash): `\DDD` (decimal 0...255) or
/// `\X` for any other character X. Returns the octet and how many input bytes were used.
func decodeEscape(_ text: [UInt8], at index: Int, line: Int, column: Int) throws(DNSWireError) -> (UInt8, Int) {
    guard index + 1 < text.count else {
        throw DNSWireError(.badEscape, "backslash at the end of a field", line: line, column: column)
    }
    let first = text[index + 1]
    guard isDigit(first) else { return (first, 2) }
    guard index + 3 < text.count, isDigit(text[index + 2]), isDigit(text[index + 3]) else {
        throw DNSWireError(.badEscape, "\\DDD escape needs three digits", line: line, column: column)
    }
    let value = Int(first - 0x30) * 100 + Int(text[index + 2] - 0x30) * 10 + Int(text[index + 3] - 0x30)
    guard value <= 255 else {
        throw DNSWireError(.badEscape, "\\\(value) is over 255", line: line, column: column)
    }
    return (UInt8(value), 4)
}

@inline(__always)
func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
