/// A small, tolerant scanner for the few XML tags an XMPP client needs before TLS (RFC 6120 §4,
/// §5): it reports start and end tags with their attributes, and skips text, comments, the XML
/// declaration and processing instructions. It is not a validating parser: it only has to find
/// `<stream:features>`, `<starttls/>` and `<proceed/>` and must never crash, hang or buffer
/// without bound on hostile input (DESIGN rule 11).
public struct XMLTagScanner: Sendable {
    /// One thing the scanner found.
    public enum Event: Sendable, Equatable {
        /// `<name attributes...>` or `<name .../>` (`selfClosing`).
        case start(name: String, attributes: [String: String], selfClosing: Bool)
        /// `</name>`.
        case end(name: String)
    }

    /// The longest tag we accept.
    public static let maxTagLength = 8 * 1024
    /// The most bytes of text between tags we skip before giving up.
    public static let maxBuffered = 64 * 1024

    private var buffer: [UInt8] = []
    /// How far the construct at the start of the buffer has been searched for its end, and the
    /// quote open at that point: bytes that arrive one at a time are each looked at once, not
    /// once per arrival (a tag of n bytes fed byte by byte would otherwise cost n²).
    private var scanned = 1
    private var scanQuote: UInt8? = nil

    public init() {}

    /// Bytes received but not yet consumed by an event.
    public var pendingBytes: [UInt8] { buffer }

    public mutating func append(_ bytes: [UInt8]) throws(NegotiationFailure) {
        buffer.append(contentsOf: bytes)
        if buffer.count > Self.maxBuffered {
            throw NegotiationFailure(.starttlsNotSupported, "XMPP server sent more than \(Self.maxBuffered) bytes without a tag")
        }
    }

    /// The next tag, or nil when more bytes are needed.
    public mutating func next() throws(NegotiationFailure) -> Event? {
        while true {
            // Text between tags (whitespace keep-alives, character data) is skipped.
            guard let open = buffer.firstIndex(of: UInt8(ascii: "<")) else {
                consume(upTo: buffer.count)
                return nil
            }
            if open > 0 { consume(upTo: open) }
            if buffer.starts(with: Array("<!--".utf8)) {
                // "-->" may straddle what was searched before: back up two bytes.
                guard let end = find(Array("-->".utf8), from: max(4, scanned - 2)) else {
                    scanned = buffer.count
                    return try needMore()
                }
                try checkLength(lastIndex: end + 2)
                consume(upTo: end + 3)
                continue
            }
            if buffer.starts(with: Array("<?".utf8)) || buffer.starts(with: Array("<!".utf8)) {
                guard let end = buffer[scanned...].firstIndex(of: UInt8(ascii: ">")) else {
                    scanned = buffer.count
                    return try needMore()
                }
                try checkLength(lastIndex: end)
                consume(upTo: end + 1)
                continue
            }
            guard let close = tagEnd() else { return try needMore() }
            try checkLength(lastIndex: close)
            let tag = Array(buffer[1..<close])
            consume(upTo: close + 1)
            return try Self.parseTag(tag)
        }
    }

    private func needMore() throws(NegotiationFailure) -> Event? {
        try checkLength(lastIndex: buffer.count)
        return nil
    }

    /// A construct whose last byte is at `lastIndex` is refused by the same rule whether it
    /// arrived whole or in pieces: one still open is refused once it holds more than
    /// ``maxTagLength`` bytes, so one complete is refused when its bytes before the last do.
    private func checkLength(lastIndex: Int) throws(NegotiationFailure) {
        if lastIndex > Self.maxTagLength {
            throw NegotiationFailure(.starttlsNotSupported, "XMPP tag longer than \(Self.maxTagLength) bytes")
        }
    }

    /// Drops the first `count` bytes: a new construct starts, searched from its beginning.
    private mutating func consume(upTo count: Int) {
        buffer.removeSubrange(..<count)
        scanned = 1
        scanQuote = nil
    }

    /// The index of the `>` closing the tag at the start of the buffer, outside quoted values,
    /// searching on from where the last call stopped.
    private mutating func tagEnd() -> Int? {
        var quote = scanQuote
        for index in scanned..<buffer.count {
            let byte = buffer[index]
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                quote = byte
            } else if byte == UInt8(ascii: ">") {
                return index
            }
        }
        scanned = max(scanned, buffer.count)
        scanQuote = quote
        return nil
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard buffer.count >= needle.count, start <= buffer.count - needle.count else { return nil }
        for index in start...(buffer.count - needle.count) where buffer[index..<index + needle.count].elementsEqual(needle) {
            return index
        }
        return nil
    }

    /// The inside of `<...>`: `/name`, `name attr='v' ...` or `name .../`.
    static func parseTag(_ tag: [UInt8]) throws(NegotiationFailure) -> Event {
        var bytes = tag[...]
        if bytes.first == UInt8(ascii: "/") {
            let name = String(decoding: bytes.dropFirst().prefix { !isSpace($0) }, as: UTF8.self)
            guard !name.isEmpty else { throw NegotiationFailure(.starttlsNotSupported, "empty XML end tag") }
            return .end(name: name)
        }
        var selfClosing = false
        if bytes.last == UInt8(ascii: "/") {
            selfClosing = true
            bytes = bytes.dropLast()
        }
        let nameBytes = bytes.prefix { !isSpace($0) }
        guard !nameBytes.isEmpty else { throw NegotiationFailure(.starttlsNotSupported, "empty XML tag") }
        bytes = bytes.dropFirst(nameBytes.count)
        var attributes: [String: String] = [:]
        while true {
            bytes = bytes.drop { isSpace($0) }
            guard !bytes.isEmpty else { break }
            let key = bytes.prefix { $0 != UInt8(ascii: "=") && !isSpace($0) }
            bytes = bytes.dropFirst(key.count).drop { isSpace($0) }
            guard bytes.first == UInt8(ascii: "=") else {
                throw NegotiationFailure(.starttlsNotSupported, "XML attribute without a value: \(printable(key))")
            }
            bytes = bytes.dropFirst().drop { isSpace($0) }
            guard let quote = bytes.first, quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else {
                throw NegotiationFailure(.starttlsNotSupported, "XML attribute value not quoted")
            }
            bytes = bytes.dropFirst()
            let value = bytes.prefix { $0 != quote }
            guard value.count < bytes.count else {
                throw NegotiationFailure(.starttlsNotSupported, "XML attribute value not closed")
            }
            bytes = bytes.dropFirst(value.count + 1)
            attributes[String(decoding: key, as: UTF8.self)] = String(decoding: value, as: UTF8.self)
        }
        return .start(name: String(decoding: nameBytes, as: UTF8.self), attributes: attributes, selfClosing: selfClosing)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}

extension XMLTagScanner.Event {
    /// The tag name without its namespace prefix (`stream:features` → `features`).
    var localName: String {
        let name: String
        switch self {
        case .start(let value, _, _), .end(let value): name = value
        }
        return String(name.split(separator: ":").last ?? Substring(name))
    }
}
