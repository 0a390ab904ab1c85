import Foundation
import TestSupport
import Testing
@testable import DNSWire

/// Shared helpers of the wire-format tests.
enum WireTestSupport {
    static func loadJSON(_ relativePath: String) throws -> Any {
        let data = try Data(contentsOf: URL(fileURLWithPath: vectorPath(relativePath)))
        return try JSONSerialization.jsonObject(with: data)
    }

    /// Splits RDATA text into tokens the way a zone-file lexer would (quotes kept apart).
    static func tokens(_ text: String) -> [PresentationToken] {
        var result: [PresentationToken] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x20 { index += 1; continue }
            if bytes[index] == 0x22 {
                var end = index + 1
                var content: [UInt8] = []
                while end < bytes.count, bytes[end] != 0x22 {
                    if bytes[end] == 0x5C, end + 1 < bytes.count {
                        content.append(bytes[end]); content.append(bytes[end + 1]); end += 2; continue
                    }
                    content.append(bytes[end]); end += 1
                }
                result.append(PresentationToken(text: content, isQuoted: true, line: 1, column: index + 1))
                index = end + 1
                continue
            }
            var end = index
            var content: [UInt8] = []
            var inQuote = false
            while end < bytes.count, inQuote || bytes[end] != 0x20 {
                if bytes[end] == 0x5C, end + 1 < bytes.count {
                    content.append(bytes[end]); content.append(bytes[end + 1]); end += 2; continue
                }
                if bytes[end] == 0x22 { inQuote.toggle() }
                content.append(bytes[end]); end += 1
            }
            result.append(PresentationToken(text: content, line: 1, column: index + 1))
            index = end
        }
        return result
    }

    static func parse(_ type: RRType, _ text: String, origin: Name? = .root) throws -> any RDATA {
        try parseRDATA(type: type, tokens: tokens(text), origin: origin)
    }

    static func hex(_ text: String) -> [UInt8] {
        BinaryText.decodeHex(Array(text.utf8.filter { $0 != 0x20 })) ?? []
    }

    /// Expects `body` to throw a DNSWireError with `code`.
    static func expectError(_ code: DNSWireError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                            _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected \(code), got success", sourceLocation: sourceLocation)
        } catch let error as DNSWireError {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }
}
