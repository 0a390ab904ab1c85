import Testing
@testable import DNSWire

/// Name compression on write and the attacks decompression must refuse (RFC 1035 §4.1.4).
@Suite struct CompressionTests {
    /// A header announcing `questions` questions, then `body`.
    static func message(questions: Int, _ body: [UInt8]) -> [UInt8] {
        [0x12, 0x34, 0x01, 0x00, UInt8(questions >> 8), UInt8(questions & 0xFF), 0, 0, 0, 0, 0, 0] + body
    }

    static let typeAndClass: [UInt8] = [0, 1, 0, 1]

    @Test func forwardPointer() {
        let bytes = Self.message(questions: 1, [0xC0, 14] + Self.typeAndClass + [0])
        WireTestSupport.expectError(.forwardPointer) { _ = try Message(bytes: bytes) }
    }

    @Test func selfLoop() {
        let bytes = Self.message(questions: 1, [0xC0, 12] + Self.typeAndClass)
        WireTestSupport.expectError(.forwardPointer) { _ = try Message(bytes: bytes) }
    }

    @Test func twoPointerLoop() {
        // 12 → 14 → 12.
        let bytes = Self.message(questions: 1, [0xC0, 14, 0xC0, 12] + Self.typeAndClass)
        WireTestSupport.expectError(.forwardPointer) { _ = try Message(bytes: bytes) }
        // A label then a pointer back into the same name: "a" at 12, pointer at 14 → 12.
        let own = Self.message(questions: 1, [1, 0x61, 0xC0, 12] + Self.typeAndClass)
        WireTestSupport.expectError(.forwardPointer) { _ = try Message(bytes: own) }
    }

    @Test func pointerIntoALabel() {
        // Question 1: "abc." at 12; question 2 points at 13, inside the label "abc".
        let bytes = Self.message(questions: 2, [3, 0x61, 0x62, 0x63, 0] + Self.typeAndClass + [0xC0, 13] + Self.typeAndClass)
        WireTestSupport.expectError(.badPointer) { _ = try Message(bytes: bytes) }
        // Pointing at the first label works.
        let good = Self.message(questions: 2, [3, 0x61, 0x62, 0x63, 0] + Self.typeAndClass + [0xC0, 12] + Self.typeAndClass)
        #expect(throws: Never.self) { try Message(bytes: good) }
        // Pointing into the type/class bytes does not.
        let intoData = Self.message(questions: 2, [3, 0x61, 0x62, 0x63, 0] + [0, 1, 0, 1] + [0xC0, 18] + Self.typeAndClass)
        WireTestSupport.expectError(.badPointer) { _ = try Message(bytes: intoData) }
    }

    @Test func pointerPastTheEnd() {
        let bytes = Self.message(questions: 1, [0xFF, 0xFF] + Self.typeAndClass)
        WireTestSupport.expectError(.forwardPointer) { _ = try Message(bytes: bytes) }
        let truncatedPointer = Self.message(questions: 1, [0xC0])
        WireTestSupport.expectError(.truncated) { _ = try Message(bytes: truncatedPointer) }
    }

    @Test func lengthOverflowThroughPointers() throws {
        // Question 1: a 250-octet name; question 2: one 9-octet label + pointer = 260 octets.
        let label = [UInt8](repeating: 0x61, count: 61)
        let long = try Name(labels: [label, label, label, [UInt8](repeating: 0x62, count: 62)])
        #expect(long.wire.count == 250)
        let second: [UInt8] = [9] + [UInt8](repeating: 0x63, count: 9) + [0xC0, 12]
        let bytes = Self.message(questions: 2, long.wire + Self.typeAndClass + second + Self.typeAndClass)
        WireTestSupport.expectError(.nameTooLong) { _ = try Message(bytes: bytes) }
    }

    @Test func tooManyHops() {
        // Question 1 is the root; each later question is only a pointer to the one before.
        var body: [UInt8] = [0] + Self.typeAndClass
        var previous = 12
        for _ in 0..<70 {
            let here = 12 + body.count
            body += [0xC0 | UInt8(previous >> 8), UInt8(previous & 0xFF)] + Self.typeAndClass
            previous = here
        }
        let bytes = Self.message(questions: 71, body)
        WireTestSupport.expectError(.badPointer) { _ = try Message(bytes: bytes) }
    }

    @Test func reservedLabelTypes() {
        WireTestSupport.expectError(.badLabelType) { _ = try Message(bytes: Self.message(questions: 1, [0x41, 0] + Self.typeAndClass)) }
        WireTestSupport.expectError(.badLabelType) { _ = try Message(bytes: Self.message(questions: 1, [0x80, 0] + Self.typeAndClass)) }
    }

    @Test func compressesWellKnownTypesOnly() throws {
        let zone: Name = "example.com."
        var message = Message(header: Header(id: 1, isResponse: true), questions: [Question(name: "www.example.com.", type: .mx)])
        message.answers = [
            Record(owner: "www.example.com.", ttl: 60, rdata: MX(preference: 10, exchange: "mail.example.com.")),
            Record(owner: "www.example.com.", ttl: 60, rdata: MX(preference: 20, exchange: "mail.example.com.")),
        ]
        message.additional = [
            Record(owner: "_sip._udp.example.com.", ttl: 60, rdata: SRV(priority: 0, weight: 0, port: 5060, target: "sip.example.com.")),
        ]
        let bytes = try message.encode()
        let decoded = try Message(bytes: bytes)
        #expect(decoded == message)
        // The second MX exchange is a single pointer; the SRV target is written out in full.
        #expect(bytes.count < 12 + 21 + 2 * 30 + 60)
        let srvTarget = Array(("sip.example.com." as Name).wire)
        #expect(bytes.windowed(srvTarget))
        #expect(zone.labelCount == 2)
    }

    @Test func compressionKeepsCase() throws {
        var message = Message(questions: [Question(name: "WwW.ExAmPlE.", type: .a)])
        message.answers = [Record(owner: "www.example.", ttl: 1, rdata: A(192, 0, 2, 1)),
                           Record(owner: "WwW.ExAmPlE.", ttl: 1, rdata: A(192, 0, 2, 2))]
        let decoded = try Message(bytes: try message.encode())
        #expect(decoded.questions[0].name.isIdentical(to: "WwW.ExAmPlE."))
        #expect(decoded.answers[0].owner.isIdentical(to: "www.example."))
        #expect(decoded.answers[1].owner.isIdentical(to: "WwW.ExAmPlE."))
    }
}

extension Array where Element == UInt8 {
    /// True when `needle` occurs as a contiguous run.
    func windowed(_ needle: [UInt8]) -> Bool {
        guard needle.count <= count else { return false }
        for start in 0...(count - needle.count) where Array(self[start..<(start + needle.count)]) == needle {
            return true
        }
        return false
    }
}
