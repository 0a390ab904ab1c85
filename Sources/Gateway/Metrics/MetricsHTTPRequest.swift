/// The request head of the metrics endpoint's tiny HTTP/1.1 server (RFC 9112 §2-3): only the
/// request line matters (a GET or HEAD of a path); header fields are read past, never kept.
/// Anything else is a 400, so a port scanner or a stray client cannot crash it.
enum MetricsHTTPRequest: Equatable {
    /// A complete, well-formed request head.
    case request(method: String, path: String)
    /// More bytes are needed for the head.
    case incomplete
    /// Not an HTTP/1.x request head this server answers: 400.
    case malformed

    /// The most bytes a request head may take (request line and header fields).
    static let maximumHeadBytes = 8192

    /// Parses the head at the start of `bytes` (the end is the first empty line, CRLF or bare LF
    /// as RFC 9112 §2.2 allows).
    static func parse(_ bytes: [UInt8]) -> MetricsHTTPRequest {
        guard let headEnd = endOfHead(bytes) else {
            return bytes.count >= maximumHeadBytes ? .malformed : .incomplete
        }
        guard headEnd <= maximumHeadBytes else { return .malformed }
        let lineEnd = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? headEnd
        var line = bytes[..<lineEnd]
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        // request-line = method SP request-target SP HTTP-version (RFC 9112 §3)
        guard parts.count == 3,
            let method = String(validating: parts[0], as: UTF8.self), isToken(parts[0]),
            let target = String(validating: parts[1], as: UTF8.self), target.first == "/",
            !parts[1].contains(where: { $0 <= 0x20 || $0 >= 0x7F }),
            let version = String(validating: parts[2], as: UTF8.self), version == "HTTP/1.1" || version == "HTTP/1.0"
        else { return .malformed }
        // The query, if any, does not choose the resource.
        let path = String(target.prefix { $0 != "?" })
        return .request(method: method, path: path)
    }

    /// The index just past the empty line that ends the head, if it is in `bytes`.
    private static func endOfHead(_ bytes: [UInt8]) -> Int? {
        var index = 0
        var lineStart = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") {
                let length = index - lineStart
                if length == 0 || (length == 1 && bytes[lineStart] == UInt8(ascii: "\r")) {
                    return index + 1  // an empty first line makes an empty request line: malformed
                }
                lineStart = index + 1
            }
            index += 1
        }
        return nil
    }

    /// tchar (RFC 9110 §5.6.2), enough for methods.
    private static func isToken(_ bytes: ArraySlice<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }
}
