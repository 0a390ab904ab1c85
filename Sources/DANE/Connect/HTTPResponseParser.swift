import Foundation

/// Parses a complete HTTP/1.1 response (RFC 9112): status line, header fields, and a body that
/// is delimited by Content-Length, chunked, or the end of the connection.
enum HTTPResponseParser {
    static func parse(_ bytes: [UInt8]) throws -> DANEHTTPClient.Response {
        guard let headerEnd = find([13, 10, 13, 10], in: bytes[...]) else {
            throw HTTPClientError("no complete response header")
        }
        let head = String(decoding: bytes[..<headerEnd], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (100...999).contains(status) else {
            throw HTTPClientError("bad status line \(statusLine.debugDescription)")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw HTTPClientError("bad header line \(line.debugDescription)") }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = Array(bytes[(headerEnd + 4)...])
        let field = { (name: String) in headers.first { $0.name.lowercased() == name }?.value }
        if field("transfer-encoding")?.lowercased().contains("chunked") == true {
            body = try dechunk(body)
        } else if let length = field("content-length").flatMap({ Int($0) }) {
            guard length <= body.count else { throw HTTPClientError("body shorter than Content-Length") }
            body = Array(body.prefix(length))
        }
        return DANEHTTPClient.Response(
            status: status, reason: parts.count > 2 ? String(parts[2]) : "", headers: headers, body: body,
            report: HostReport(host: "", port: 0, records: [], verdict: .fail, detail: ""))
    }

    /// RFC 9112 §7.1: hex size, CRLF, data, CRLF, ... a zero size ends it.
    static func dechunk(_ input: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        var rest = input[...]
        while true {
            guard let lineEnd = find([13, 10], in: rest) else { throw HTTPClientError("truncated chunk size") }
            let sizeText = String(decoding: rest[rest.startIndex..<lineEnd], as: UTF8.self)
                .split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0, size <= input.count else {
                throw HTTPClientError("bad chunk size")
            }
            rest = rest[(lineEnd + 2)...]
            if size == 0 { return output }
            guard rest.count >= size + 2 else { throw HTTPClientError("truncated chunk") }
            output.append(contentsOf: rest.prefix(size))
            rest = rest.dropFirst(size + 2)
        }
    }

    static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index <= haystack.endIndex - needle.count {
            if haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
