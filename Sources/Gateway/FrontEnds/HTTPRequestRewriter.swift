/// Rewrites the Host header field of every HTTP/1.1 request on a connection (RFC 9112 §3.2,
/// RFC 9110 §7.2) to the target host, and passes bodies through by their framing (RFC 9112
/// §6.3): chunked (§7.1), Content-Length, or none. Pipelined requests follow one another.
/// Memory is bounded: a header block or a chunk-size line longer than its limit is an error
/// (DESIGN rule 11), never buffered further.
struct HTTPRequestRewriter {
    struct Failure: Error, Equatable {
        let detail: String
    }

    enum State: Equatable {
        case header
        case body(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        /// After a request that switches protocols (Upgrade, CONNECT): bytes pass untouched.
        case passThrough
    }

    let host: String
    static let maxHeaderBytes = 64 * 1024
    static let maxLineBytes = 4 * 1024
    private(set) var state: State = .header
    private var pending: [UInt8] = []

    init(host: String) {
        self.host = host
    }

    /// The bytes to send upstream for `input`.
    mutating func rewrite(_ input: [UInt8]) throws(Failure) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < input.count {
            switch state {
            case .passThrough:
                output.append(contentsOf: input[index...])
                return output
            case .body(let remaining):
                let take = min(remaining, input.count - index)
                output.append(contentsOf: input[index..<index + take])
                index += take
                state = remaining - take == 0 ? .header : .body(remaining: remaining - take)
            case .chunkData(let remaining):
                let take = min(remaining, input.count - index)
                output.append(contentsOf: input[index..<index + take])
                index += take
                state = remaining - take == 0 ? .chunkDataEnd : .chunkData(remaining: remaining - take)
            case .header, .chunkSize, .chunkDataEnd, .trailers:
                // Line-oriented states: collect up to the end of the line (or header block).
                let byte = input[index]
                index += 1
                pending.append(byte)
                let limit = state == .header ? Self.maxHeaderBytes : Self.maxLineBytes
                guard pending.count <= limit else { throw Failure(detail: "HTTP request line or header block too long") }
                guard byte == UInt8(ascii: "\n") else { continue }
                try lineComplete(into: &output)
            }
        }
        return output
    }

    private mutating func lineComplete(into output: inout [UInt8]) throws(Failure) {
        switch state {
        case .header:
            // Leading empty lines before a request line are ignored (RFC 9112 §2.2).
            if pending == [13, 10] || pending == [10] {
                pending = []
                return
            }
            guard pending.suffix(4) == [13, 10, 13, 10] || pending.suffix(2) == [10, 10] else { return }
            try rewriteHeader(into: &output)
            pending = []
        case .chunkSize:
            output.append(contentsOf: pending)
            let line = pending.prefix { $0 != 13 && $0 != 10 && $0 != UInt8(ascii: ";") }
            pending = []
            let digits = String(decoding: line, as: UTF8.self).trimmingCharacters()
            // chunk-size = 1*HEXDIG (RFC 9112 §7.1): Int(_:radix:) alone would also take a sign,
            // and a negative size would trap when the chunk's bytes are taken.
            guard !digits.isEmpty, digits.count <= 15, digits.utf8.allSatisfy(\.isASCIIHexDigit),
                let size = Int(digits, radix: 16)
            else {
                throw Failure(detail: "bad chunk size")
            }
            state = size == 0 ? .trailers : .chunkData(remaining: size)
        case .chunkDataEnd:
            guard pending == [13, 10] || pending == [10] else { throw Failure(detail: "chunk data not followed by CRLF") }
            output.append(contentsOf: pending)
            pending = []
            state = .chunkSize
        case .trailers:
            output.append(contentsOf: pending)
            let last = pending == [13, 10] || pending == [10]
            pending = []
            if last { state = .header }
        default:
            break
        }
    }

    private mutating func rewriteHeader(into output: inout [UInt8]) throws(Failure) {
        // Split on LF bytes: in Swift text, "\r\n" is one Character. The lines are decided on as
        // text but written as the client's bytes: a field value may hold obs-text (RFC 9110
        // §5.5), which decoding would turn into U+FFFD, changing it and tripling its size.
        var rawLines = pending.split(separator: 10, omittingEmptySubsequences: false).map { line in
            line.last == 13 ? line.dropLast() : line
        }
        while rawLines.last?.isEmpty == true { rawLines.removeLast() }
        let lines = rawLines.map { String(decoding: $0, as: UTF8.self) }
        guard let requestLine = lines.first, requestLine.split(separator: " ").count == 3 else {
            throw Failure(detail: "bad HTTP request line")
        }
        var fields: [(name: String, value: String, raw: ArraySlice<UInt8>)] = []
        for (line, raw) in zip(lines, rawLines).dropFirst() {
            // Obsolete line folding (a leading space) is refused (RFC 9112 §5.2).
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex, line.first?.isWhitespace != true,
                let rawColon = raw.firstIndex(of: UInt8(ascii: ":"))
            else { throw Failure(detail: "bad HTTP header field") }
            // OWS around the value (RFC 9110 §5.5) is dropped; the bytes between are kept.
            let value = raw[(rawColon + 1)...].drop { $0 == 0x20 || $0 == 0x09 }
            let end = value.lastIndex { $0 != 0x20 && $0 != 0x09 }.map { $0 + 1 } ?? value.startIndex
            let rawField = raw[..<rawColon] + Array(": ".utf8) + value[..<end]
            fields.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(), rawField))
        }
        let lowered = { (name: String) in fields.filter { $0.name.lowercased() == name }.map(\.value) }
        let transferEncoding = lowered("transfer-encoding")
        let contentLength = lowered("content-length")
        let method = requestLine.split(separator: " ").first.map(String.init) ?? ""
        // RFC 9112 §6.3: chunked wins; several differing Content-Length values are an error.
        if !transferEncoding.isEmpty {
            guard transferEncoding.joined(separator: ",").lowercased().split(separator: ",").last?.trimmingCharacters() == "chunked" else {
                throw Failure(detail: "a request Transfer-Encoding other than chunked")
            }
            state = .chunkSize
        } else if let first = contentLength.first {
            guard contentLength.allSatisfy({ $0 == first }), first.count <= 18, first.allSatisfy(\.isASCIIDigit),
                let length = Int(first)
            else { throw Failure(detail: "bad Content-Length") }
            state = length > 0 ? .body(remaining: length) : .header
        } else {
            state = .header
        }
        if method == "CONNECT" || !lowered("upgrade").isEmpty { state = .passThrough }
        let crlf: [UInt8] = [13, 10]
        let hostLine = Array("Host: \(host)\r\n".utf8)
        output += rawLines[0] + crlf
        var hostWritten = false
        for field in fields {
            if field.name.lowercased() == "host" {
                guard !hostWritten else { continue }  // one Host only (RFC 9112 §3.2)
                output += hostLine
                hostWritten = true
            } else {
                output += field.raw + crlf
            }
        }
        if !hostWritten { output += hostLine }
        output += crlf
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension UInt8 {
    fileprivate var isASCIIHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}

extension StringProtocol {
    /// Without the spaces and tabs at either end (RFC 9110 §5.5 OWS).
    fileprivate func trimmingCharacters() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
