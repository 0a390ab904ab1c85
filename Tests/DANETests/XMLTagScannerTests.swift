import Testing

@testable import DANE

/// The scanner searches each construct on from where the last chunk stopped; these feed the
/// cases where state must carry over between chunks one byte at a time.
@Suite struct XMLTagScannerTests {
    private func eventsFedByteByByte(_ text: String) throws -> [XMLTagScanner.Event] {
        var scanner = XMLTagScanner()
        var events: [XMLTagScanner.Event] = []
        for byte in Array(text.utf8) {
            try scanner.append([byte])
            while let event = try scanner.next() { events.append(event) }
        }
        return events
    }

    @Test func aQuotedGreaterThanSplitAcrossChunksDoesNotEndTheTag() throws {
        let events = try eventsFedByteByByte("<a x='1>2' y=\"3>4\"/><b/>")
        #expect(events == [
            .start(name: "a", attributes: ["x": "1>2", "y": "3>4"], selfClosing: true),
            .start(name: "b", attributes: [:], selfClosing: true),
        ])
    }

    @Test func aCommentEndSplitAcrossChunksIsFound() throws {
        let events = try eventsFedByteByByte("<!-- a > b -- c --><?xml version='1.0'?><!DOCTYPE x><proceed/>")
        #expect(events == [.start(name: "proceed", attributes: [:], selfClosing: true)])
    }

    @Test func aLongTagFedByteByByteStillParses() throws {
        let value = String(repeating: "v", count: XMLTagScanner.maxTagLength - 32)
        let events = try eventsFedByteByByte("<t a='\(value)'/>")
        #expect(events == [.start(name: "t", attributes: ["a": value], selfClosing: true)])
    }
}
