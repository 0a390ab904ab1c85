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

    /// A fuzzer finding (Tests/Fuzz/xmpp-client/corpus/finding-tag-over-8k-at-once): the length
    /// limit was checked only while a tag was still open, so a tag (or comment) over it that came
    /// in one read was accepted while the same bytes in small reads were refused. Now the
    /// verdict is the same at every cut, at the limit and one byte past it.
    @Test func theLengthLimitDoesNotDependOnTheReads() throws {
        for extra in [0, 1] {
            for construct in ["<t a='", "<!--", "<?p "] {
                let end = construct == "<!--" ? "-->" : (construct == "<t a='" ? "'>" : "?>")
                let filler = XMLTagScanner.maxTagLength + extra - construct.utf8.count - end.utf8.count + 1
                let bytes = Array((construct + String(repeating: "v", count: filler) + end + "<proceed/>").utf8)
                var verdicts: [Bool] = []
                for size in [1, 7, 16, bytes.count] {
                    var scanner = XMLTagScanner()
                    var refused = false
                    var start = 0
                    while start < bytes.count, !refused {
                        do {
                            try scanner.append(Array(bytes[start..<min(start + size, bytes.count)]))
                            while try scanner.next() != nil {}
                        } catch {
                            refused = true
                        }
                        start += size
                    }
                    verdicts.append(refused)
                }
                #expect(verdicts == [Bool](repeating: extra == 1, count: 4), "\(construct) \(extra): \(verdicts)")
            }
        }
    }
}
