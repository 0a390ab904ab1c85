/// One SMTP reply (RFC 5321 §4.2): a three-digit code and its text lines. Multi-line replies
/// use `250-` on every line but the last, which uses `250 ` (or just `250`).
public struct SMTPReply: Sendable, Equatable {
    public let code: Int
    /// The text after the code and separator, one entry per line.
    public let lines: [String]
    /// The reply exactly as received, CRLFs included.
    public let raw: [UInt8]
}

/// Collects SMTP reply lines from a byte stream with bounds on line length and reply size, so
/// a hostile server cannot make us buffer without limit (DESIGN rule 11).
public struct SMTPReplyReader: Sendable {
    /// RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; we accept twice that.
    public static let maxLineLength = 1024
    /// More lines than any EHLO reply needs.
    public static let maxLines = 128

    private(set) var buffer: [UInt8] = []
    private var lines: [String] = []
    private var raw: [UInt8] = []
    private var code: Int?

    public init() {}

    /// Bytes received but not yet part of a complete reply.
    public var pendingBytes: [UInt8] { buffer }

    public mutating func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete reply, nil when more bytes are needed, or an error for a malformed or
    /// oversized one.
    public mutating func nextReply() throws(NegotiationFailure) -> SMTPReply? {
        while true {
            guard let newline = buffer.firstIndex(of: 0x0A) else {
                if buffer.count > Self.maxLineLength {
                    throw NegotiationFailure(.starttlsNotSupported, "SMTP reply line longer than \(Self.maxLineLength) bytes")
                }
                return nil
            }
            let lineBytes = Array(buffer[..<newline])
            raw.append(contentsOf: buffer[...newline])
            buffer.removeSubrange(...newline)
            guard lineBytes.count <= Self.maxLineLength else {
                throw NegotiationFailure(.starttlsNotSupported, "SMTP reply line longer than \(Self.maxLineLength) bytes")
            }
            var line = lineBytes
            if line.last == 0x0D { line.removeLast() }
            let (lineCode, isLast, text) = try Self.parseLine(line)
            if let code, code != lineCode {
                throw NegotiationFailure(.starttlsNotSupported, "SMTP reply changes its code from \(code) to \(lineCode)")
            }
            code = lineCode
            lines.append(text)
            guard lines.count <= Self.maxLines else {
                throw NegotiationFailure(.starttlsNotSupported, "SMTP reply has more than \(Self.maxLines) lines")
            }
            if isLast {
                let reply = SMTPReply(code: lineCode, lines: lines, raw: raw)
                lines = []
                raw = []
                code = nil
                return reply
            }
        }
    }

    /// `DDD-text`, `DDD text` or `DDD`.
    private static func parseLine(_ line: [UInt8]) throws(NegotiationFailure) -> (Int, Bool, String) {
        guard line.count >= 3, line[0...2].allSatisfy({ (0x30...0x39).contains($0) }),
            (0x32...0x35).contains(line[0])
        else {
            throw NegotiationFailure(.starttlsNotSupported, "not an SMTP reply line: \(printable(line))")
        }
        let code = Int(line[0] - 0x30) * 100 + Int(line[1] - 0x30) * 10 + Int(line[2] - 0x30)
        if line.count == 3 { return (code, true, "") }
        switch line[3] {
        case UInt8(ascii: "-"): return (code, false, String(decoding: line[4...], as: UTF8.self))
        case UInt8(ascii: " "): return (code, true, String(decoding: line[4...], as: UTF8.self))
        default: throw NegotiationFailure(.starttlsNotSupported, "not an SMTP reply line: \(printable(line))")
        }
    }
}

/// At most 80 bytes of a line, control bytes escaped, for error messages.
func printable<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    var text = ""
    for byte in bytes.prefix(80) {
        if (0x20..<0x7F).contains(byte) {
            text.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }
    }
    return bytes.count > 80 ? text + "..." : text
}
