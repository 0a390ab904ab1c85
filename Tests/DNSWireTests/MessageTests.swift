import FuzzOracles
import Testing
@testable import DNSWire

@Suite struct MessageTests {
    /// A signed response with EDNS: question, answer with RRSIG, NSEC in authority, glue.
    static func signedResponse() throws -> Message {
        var message = Message(header: Header(id: 0xBEEF, isResponse: true, isAuthoritative: true,
                                             recursionDesired: true, authenticData: true),
                              questions: [Question(name: "_443._tcp.www.example.", type: .tlsa)])
        let owner: Name = "_443._tcp.www.example."
        message.answers = [
            Record(owner: owner, ttl: 300, rdata: try WireTestSupport.parse(.tlsa, "3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")),
            Record(owner: owner, ttl: 300, rdata: try WireTestSupport.parse(.rrsig, "TLSA 13 4 300 20300101000000 20200101000000 4242 example. c2lnbmF0dXJlIGJ5dGVz")),
        ]
        message.authority = [
            Record(owner: "example.", ttl: 300, rdata: NS("ns1.example.")),
            Record(owner: "example.", ttl: 300, rdata: try WireTestSupport.parse(.nsec, "a.example. NS SOA RRSIG NSEC DNSKEY")),
            Record(owner: "example.", ttl: 300, rdata: try WireTestSupport.parse(.dnskey, "257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ==")),
        ]
        message.additional = [
            Record(owner: "ns1.example.", ttl: 300, rdata: A(192, 0, 2, 53)),
            Record(owner: "ns1.example.", ttl: 300, rdata: try #require(AAAA(bytes: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [0x35]))),
        ]
        message.edns = EDNS(udpPayloadSize: 1232, dnssecOK: true, options: [
            .cookie(try #require(Cookie(client: [1, 2, 3, 4, 5, 6, 7, 8], server: [UInt8](repeating: 9, count: 16)))),
            .extendedError(ExtendedDNSError(.staleAnswer, extraText: "served stale")),
        ])
        return message
    }

    @Test func roundTripWithEveryFlag() throws {
        var message = try Self.signedResponse()
        message.header.opcode = .notify
        message.header.isTruncated = true
        message.header.recursionAvailable = true
        message.header.z = true
        message.header.checkingDisabled = true
        message.rcode = .badCookie
        let bytes = try message.encode()
        let decoded = try Message(bytes: bytes)
        #expect(decoded == message)
        #expect(decoded.rcode == .badCookie)
        #expect(decoded.header.rcodeLow == 7)
        #expect(decoded.edns?.extendedRCode == 1)
        #expect(decoded.header.flags == message.header.flags)
        #expect(try decoded.encode() == bytes)
    }

    @Test func headerFlagBits() {
        var header = Header()
        header.flags = 0xFFFF
        #expect(header.isResponse && header.isAuthoritative && header.isTruncated && header.recursionDesired)
        #expect(header.recursionAvailable && header.z && header.authenticData && header.checkingDisabled)
        #expect(header.opcode.rawValue == 15 && header.rcodeLow == 15)
        #expect(header.flags == 0xFFFF)
        header.flags = 0x0120  // RD + AD
        #expect(header.recursionDesired && header.authenticData && !header.checkingDisabled && !header.isResponse)
    }

    /// Every prefix of a valid message fails cleanly.
    @Test func dripFeed() throws {
        let bytes = try Self.signedResponse().encode()
        #expect(try Message(bytes: bytes) == Self.signedResponse())
        for length in 0..<bytes.count {
            #expect(throws: DNSWireError.self, "prefix of \(length) octets") {
                _ = try Message(bytes: Array(bytes[0..<length]))
            }
        }
    }

    /// Random corruption never crashes; whatever decodes re-encodes and decodes the same.
    @Test func corruptedMessagesNeverCrash() throws {
        let original = try Self.signedResponse().encode()
        var generator = SplitMix(seed: 0x5EED)
        var decodedCount = 0
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let position = Int(generator.next() % UInt64(bytes.count))
                bytes[position] = UInt8(truncatingIfNeeded: generator.next())
            }
            if generator.next() % 8 == 0 { bytes.removeLast(Int(generator.next() % 20)) }
            guard let message = try? Message(bytes: bytes) else { continue }
            decodedCount += 1
            let again = try Message(bytes: try message.encode())
            #expect(again == message)
        }
        #expect(decodedCount > 0)
    }

    @Test func rejectsTrailingBytes() throws {
        let bytes = try Self.signedResponse().encode()
        WireTestSupport.expectError(.trailingBytes) { _ = try Message(bytes: bytes + [0]) }
    }

    @Test func hugeCountsDoNotAllocate() {
        // Every count at 65535 with no data: fails at once, without reserving 65535 records.
        let bytes: [UInt8] = [0, 1, 0x81, 0x80, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        WireTestSupport.expectError(.truncated) { _ = try Message(bytes: bytes) }
        WireTestSupport.expectError(.truncated) { _ = try Message(bytes: [0, 1, 2]) }
    }

    @Test func optRules() throws {
        let base = Message(questions: [Question(name: "example.", type: .a)], edns: EDNS())
        let bytes = try base.encode()
        // Duplicate the OPT record: ARCOUNT 2.
        let opt = Array(bytes[(bytes.count - 11)...])
        var twice = bytes + opt
        twice[11] = 2
        WireTestSupport.expectError(.badMessage) { _ = try Message(bytes: twice) }
        // OPT in the answer section.
        var inAnswer = bytes
        inAnswer[7] = 1
        inAnswer[11] = 0
        WireTestSupport.expectError(.badMessage) { _ = try Message(bytes: inAnswer) }
        // OPT with a non-root owner.
        var named = Array(bytes[0..<(bytes.count - 11)]) + [1, 0x61] + opt
        named[11] = 1
        WireTestSupport.expectError(.badMessage) { _ = try Message(bytes: named) }
    }

    /// An answer that does not fit in 512 octets: TC, whole RRsets, OPT kept.
    @Test func truncatesToSizeLimit() throws {
        let owner: Name = "big.example."
        var message = Message(header: Header(id: 7, isResponse: true), questions: [Question(name: owner, type: .any)])
        for index in 0..<10 { message.answers.append(Record(owner: owner, ttl: 60, rdata: A(192, 0, 2, UInt8(index)))) }
        message.answers.append(Record(owner: owner, ttl: 60, rdata: try WireTestSupport.parse(.rrsig, "A 13 2 60 20300101000000 20200101000000 1 example. AAAA")))
        for index in 0..<20 { message.answers.append(Record(owner: owner, ttl: 60, rdata: TXT("text record number \(index) with padding"))) }
        message.authority = [Record(owner: "example.", ttl: 60, rdata: NS("ns.example."))]
        message.edns = EDNS(udpPayloadSize: 512, options: [.padding(0)])

        let full = try message.encode()
        #expect(full.count > 512)
        let bytes = try message.encode(maxSize: 512)
        #expect(bytes.count <= 512)
        let decoded = try Message(bytes: bytes)
        #expect(decoded.header.isTruncated)
        #expect(decoded.answers.count == 11)  // the A RRset with its RRSIG, not part of the TXT RRset
        #expect(decoded.authority.isEmpty)
        #expect(decoded.edns == message.edns)
        // Without a limit nothing is dropped.
        #expect(try Message(bytes: full) == message)
    }

    @Test func additionalOverflowDoesNotSetTC() throws {
        var message = Message(header: Header(isResponse: true), questions: [Question(name: "example.", type: .ns)])
        message.answers = [Record(owner: "example.", ttl: 60, rdata: NS("ns.example."))]
        for index in 0..<40 {
            message.additional.append(Record(owner: Name(stringLiteral: "host\(index).example."), ttl: 60, rdata: A(192, 0, 2, 1)))
        }
        let decoded = try Message(bytes: try message.encode(maxSize: 512))
        #expect(!decoded.header.isTruncated)
        #expect(decoded.answers.count == 1)
        #expect(decoded.additional.count < 40)
    }
}

/// A small deterministic generator for the corruption test.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct MessageFuzzingTests {
    /// The fuzz entry point accepts valid, corrupted and empty input without trapping.
    @Test func fuzzEntryPointHandlesSeeds() throws {
        let valid = try MessageTests.signedResponse().encode()
        #expect(throws: Never.self) { try DNSMessageOracle.check(valid) }
        #expect(throws: Never.self) { try DNSMessageOracle.check([]) }
        #expect(throws: Never.self) { try DNSMessageOracle.check(Array(valid.prefix(30))) }
        var generator = SplitMix(seed: 42)
        for _ in 0..<500 {
            var bytes = valid
            bytes[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
            #expect(throws: Never.self) { try DNSMessageOracle.check(bytes) }
        }
    }
}

@Suite struct QueryTests {
    @Test func stubQuery() throws {
        let query = Message.query(id: 0x1234, name: "_25._tcp.mail.example.", type: .tlsa)
        let bytes = try query.encode()
        #expect(Array(bytes[0..<4]) == [0x12, 0x34, 0x01, 0x00])
        let decoded = try Message(bytes: bytes)
        #expect(decoded.edns?.dnssecOK == true)
        #expect(decoded.edns?.udpPayloadSize == 1232)
        #expect(decoded.questions == [Question(name: "_25._tcp.mail.example.", type: .tlsa)])
        #expect(decoded.header.recursionDesired && !decoded.header.isResponse)
    }
}

@Suite struct MessagePresentationTests {
    @Test func digLikeText() throws {
        let text = try MessageTests.signedResponse().presentation
        #expect(text.contains(";; flags: qr aa rd ad; QUERY: 1, ANSWER: 2, AUTHORITY: 3, ADDITIONAL: 3"))
        #expect(text.contains("; EDNS: version: 0, flags: do; udp: 1232"))
        #expect(text.contains("; EDE: 3 (served stale)"))
        #expect(text.contains(";_443._tcp.www.example. IN TLSA"))
        #expect(text.contains("ns1.example. 300 IN A 192.0.2.53"))
    }
}
