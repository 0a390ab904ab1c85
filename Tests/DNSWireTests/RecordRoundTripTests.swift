import Testing
@testable import DNSWire

/// Presentation → value → wire → value → presentation for every type.
@Suite struct RecordRoundTripTests {
    struct Case: Sendable, CustomStringConvertible {
        let type: RRType
        let text: String
        /// The expected printed form when it differs from `text`.
        let printed: String?
        /// Expected RDATA wire hex, when checked.
        let wire: String?
        init(_ type: RRType, _ text: String, printed: String? = nil, wire: String? = nil) {
            self.type = type
            self.text = text
            self.printed = printed
            self.wire = wire
        }
        var description: String { "\(type) \(text)" }
    }

    static let cases: [Case] = [
        Case(.a, "192.0.2.1", wire: "c0000201"),
        Case(.aaaa, "2001:db8::1", wire: "20010db8000000000000000000000001"),
        Case(.aaaa, "::ffff:192.0.2.1"),
        Case(.aaaa, "::"),
        Case(.aaaa, "1::"),
        Case(.aaaa, "::1:0:0:0:1"),
        Case(.aaaa, "2001:DB8:0:0:1:0:0:1", printed: "2001:db8::1:0:0:1"),
        Case(.ns, "ns1.Example.com.", wire: "036e7331074578616d706c6503636f6d00"),
        Case(.cname, "target.example."),
        Case(.dname, "other.example."),
        Case(.ptr, "host.example."),
        Case(.mx, "10 mail.example.", wire: "000a046d61696c076578616d706c6500"),
        Case(.soa, "ns.example. admin.example. 2024010101 7200 3600 1209600 300"),
        Case(.soa, "ns.example. admin.example. 1 1h 30m 2w 1d", printed: "ns.example. admin.example. 1 3600 1800 1209600 86400"),
        Case(.txt, "\"hello world\" \"second\"", wire: "0b68656c6c6f20776f726c64067365636f6e64"),
        Case(.txt, "unquoted", printed: "\"unquoted\""),
        Case(.txt, "\"quote\\\" back\\\\slash \\255\\009\"", printed: "\"quote\\\" back\\\\slash \\255\\009\""),
        Case(.txt, "\"\"", wire: "00"),
        Case(.srv, "0 5 5060 sip.example.", wire: "0000 0005 13c4 03736970 076578616d706c65 00"),
        Case(.naptr, "100 10 \"u\" \"E2U+sip\" \"!^.*$!sip:info@example.com!\" ."),
        Case(.caa, "0 issue \"ca.example.net\"", wire: "0005697373756563612e6578616d706c652e6e6574"),
        Case(.caa, "128 iodef \"mailto:security@example.com\""),
        Case(.sshfp, "4 2 123456789abcdef67890123456789abcdef67890123456789abcdef123456789"),
        Case(.tlsa, "3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"),
        Case(.tlsa, "DANE-EE SPKI SHA2-256 01234567 89abcdef", printed: "3 1 1 0123456789abcdef"),
        Case(.tlsa, "7 9 200 ab", printed: "7 9 200 ab"),
        Case(.ds, "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118"),
        Case(.cds, "0 0 0 00"),
        Case(.dnskey, "257 3 13 mdsswUyr3DPW132mOi8V9xESWE8jTo0dxCjjnopKl+GqJxpVXckHAeF+KkxLbxILfDLUT0rAK9iUzy1L53eKGQ=="),
        Case(.dnskey, "256 3 RSASHA256 AwEAAQ==", printed: "256 3 8 AwEAAQ=="),
        Case(.cdnskey, "0 3 0 AA=="),
        Case(.rrsig, "A 13 2 3600 20240131000000 20240101000000 12345 example.com. c2lnbmF0dXJl"),
        Case(.rrsig, "TYPE1234 8 3 86400 1700000000 1600000000 1 Example.COM. AAEC", printed: "TYPE1234 8 3 86400 20231114221320 20200913122640 1 Example.COM. AAEC"),
        Case(.nsec, "host.example.com. A MX RRSIG NSEC TYPE1234",
             wire: "04686f7374076578616d706c6503636f6d000006400100000003041b000000000000000000000000000000000000000000000000000020"),
        Case(.nsec, "next.example."),
        Case(.nsec3, "1 1 12 AABBCCDD 2t7b4g4vsa5smi47k61mv5bv1a22bojr A RRSIG"),
        Case(.nsec3, "1 0 0 - 2T7B4G4VSA5SMI47K61MV5BV1A22BOJR", printed: "1 0 0 - 2t7b4g4vsa5smi47k61mv5bv1a22bojr"),
        Case(.nsec3param, "1 0 12 AABBCCDD", wire: "0100000c04aabbccdd"),
        Case(.nsec3param, "1 0 0 -", wire: "0100000000"),
        // RFC 9460 App. D examples.
        Case(.svcb, "0 foo.example.com.", wire: "000003666f6f076578616d706c6503636f6d00"),
        Case(.svcb, "1 .", wire: "000100"),
        Case(.svcb, "16 foo.example.com. port=53",
             wire: "0010 03666f6f076578616d706c6503636f6d00 0003 0002 0035"),
        Case(.svcb, "1 foo.example.com. key667=hello", printed: "1 foo.example.com. key667=\"hello\"",
             wire: "0001 03666f6f076578616d706c6503636f6d00 029b 0005 68656c6c6f"),
        Case(.svcb, "1 foo.example.com. key667=\"hello\\210qoo\"", printed: "1 foo.example.com. key667=\"hello\\210qoo\"",
             wire: "0001 03666f6f076578616d706c6503636f6d00 029b 0009 68656c6c6fd271 6f6f"),
        Case(.svcb, "1 foo.example.com. ipv6hint=\"2001:db8::1,2001:db8::53:1\"",
             printed: "1 foo.example.com. ipv6hint=2001:db8::1,2001:db8::53:1",
             wire: "0001 03666f6f076578616d706c6503636f6d00 0006 0020 20010db8000000000000000000000001 20010db8000000000000000000530001"),
        Case(.svcb, "16 foo.example.org. alpn=h2,h3-19 mandatory=ipv4hint,alpn ipv4hint=192.0.2.1",
             printed: "16 foo.example.org. mandatory=alpn,ipv4hint alpn=\"h2,h3-19\" ipv4hint=192.0.2.1",
             wire: "0010 03666f6f076578616d706c65036f726700 0000 0004 00010004 0001 0009 026832 05 68332d3139 0004 0004 c0000201"),
        Case(.svcb, "16 foo.example.org. alpn=\"f\\\\\\\\oo\\\\,bar,h2\"",
             printed: "16 foo.example.org. alpn=\"f\\\\\\\\oo\\\\,bar,h2\"",
             wire: "0010 03666f6f076578616d706c65036f726700 0001 000c 08 665c6f6f2c626172 02 6832"),
        Case(.https, "1 . alpn=h3 no-default-alpn port=8443 ech=AQID",
             printed: "1 . alpn=\"h3\" no-default-alpn port=8443 ech=AQID"),
        Case(.hinfo, "\"PC Intel 700MHz\" \"NetBSD 1.4\""),
        Case(.rp, "admin.example. info.example."),
        Case(.afsdb, "1 afs.example."),
        Case(.kx, "10 kx.example."),
        Case(.spf, "\"v=spf1 -all\""),
        Case(.openpgpkey, "mQENBFVHm5sBCADH"),
        Case(.zonemd, "2018031900 1 1 a3b69bad980a3504e1cffcb0fd6397f93848071c93151f552ae2f6b1711d4bd2d8b39808226d7b9db71e34b72077f8fe"),
        Case(RRType(1234), "\\# 4 0a000001", wire: "0a000001"),
        Case(RRType(1234), "\\# 0", wire: ""),
        Case(RRType(65280), "\\# 3 abcdef"),
    ]

    @Test(arguments: cases)
    func roundTrip(_ testCase: Case) throws {
        let value = try WireTestSupport.parse(testCase.type, testCase.text)
        #expect(value.rrType == testCase.type)
        let printed = value.presentation
        #expect(printed == (testCase.printed ?? testCase.text))
        let wire = try value.wireRDATA()
        if let expected = testCase.wire {
            #expect(BinaryText.hex(wire) == BinaryText.hex(WireTestSupport.hex(expected)))
        }
        // wire → value
        let decoded = try RDATARegistry.decode(type: testCase.type, rdata: wire)
        #expect(decoded.isEqual(to: value))
        #expect(try decoded.wireRDATA() == wire)  // lossless: the received bytes come back
        #expect(decoded.presentation == printed)
        // printed → value again
        let reparsed = try WireTestSupport.parse(testCase.type, printed)
        #expect(reparsed.isEqual(to: value))
        // RFC 3597 generic form of a known type gives the same typed value.
        let generic = try WireTestSupport.parse(testCase.type, genericRDATAPresentation(wire))
        #expect(generic.isEqual(to: value))
        // A whole record through a message-free wire round trip.
        let record = Record(owner: "Owner.Example.", ttl: 300, rdata: value)
        var reader = DNSReader(try record.wire())
        let back = try Record(from: &reader)
        #expect(back == record)
        #expect(reader.isAtEnd)
    }

    @Test func recordPresentation() throws {
        let record = try Record(owner: "www.example.", ttl: 3600, type: .mx,
                                rdataTokens: WireTestSupport.tokens("10 mx"), origin: "example.")
        #expect(record.presentation == "www.example. 3600 IN MX 10 mx.example.")
        let unknown = Record(owner: "x.", rrClass: RRClass(3), ttl: 0, rdata: UnknownRDATA(type: RRType(999), data: [1, 2]))
        #expect(unknown.presentation == "x. 0 CH TYPE999 \\# 2 0102")
    }

    @Test func typeAndClassMnemonics() {
        #expect(RRType(mnemonic: "tlsa") == .tlsa)
        #expect(RRType(mnemonic: "TYPE52") == .tlsa)
        #expect(RRType(mnemonic: "TYPE1234")?.mnemonic == "TYPE1234")
        #expect(RRType(mnemonic: "TYPE65536") == nil)
        #expect(RRType(mnemonic: "TYPE") == nil)
        #expect(RRType(mnemonic: "BOGUS") == nil)
        #expect(RRType.https.mnemonic == "HTTPS")
        #expect(RRClass(mnemonic: "in") == .internet)
        #expect(RRClass(mnemonic: "CLASS3") == .chaos)
        #expect(RRClass(42).mnemonic == "CLASS42")
    }

    @Test func canonicalRDATALowercasesOnlyListedTypes() throws {
        let mx = try WireTestSupport.parse(.mx, "10 MAIL.Example.")
        #expect(try mx.canonicalRDATA() == [0, 10] + ("mail.example." as Name).wire)
        #expect(try mx.wireRDATA() == [0, 10] + ("MAIL.Example." as Name).wire)
        // RFC 6840 §5.1: NSEC next names keep their case; RRSIG signer names are lower-cased.
        let nsec = try WireTestSupport.parse(.nsec, "Next.Example. A")
        #expect(try nsec.canonicalRDATA() == nsec.wireRDATA())
        let rrsig = try WireTestSupport.parse(.rrsig, "A 8 2 300 20240101000000 20230101000000 1 EXAMPLE. AAAA")
        #expect(try rrsig.canonicalRDATA().contains(0x65))  // "e" of the lower-cased signer
        #expect(try !rrsig.canonicalRDATA().contains(0x45))  // no "E" left
        // SVCB targets are not in the list.
        let svcb = try WireTestSupport.parse(.svcb, "1 Foo.Example.")
        #expect(try svcb.canonicalRDATA() == svcb.wireRDATA())
    }

    @Test func canonicalRecordWire() throws {
        let record = Record(owner: "WWW.Example.", ttl: 60, rdata: CNAME("Target.Example."))
        var expected = ("www.example." as Name).wire + [0, 5, 0, 1, 0, 0, 0x0E, 0x10]
        let target = ("target.example." as Name).wire
        expected += [0, UInt8(target.count)] + target
        #expect(try record.canonicalWire(ttl: 3600) == expected)
        #expect(try record.wire() != expected)
    }

    @Test func rejectsMalformedPresentation() {
        WireTestSupport.expectError(.badSyntax) { _ = try WireTestSupport.parse(.a, "192.0.2.256") }
        WireTestSupport.expectError(.badSyntax) { _ = try WireTestSupport.parse(.a, "010.0.0.1") }
        WireTestSupport.expectError(.badSyntax) { _ = try WireTestSupport.parse(.a, "1.2.3") }
        WireTestSupport.expectError(.badSyntax) { _ = try WireTestSupport.parse(.aaaa, "1:2:3:4:5:6:7:8:9") }
        WireTestSupport.expectError(.badSyntax) { _ = try WireTestSupport.parse(.aaaa, ":1::") }
        WireTestSupport.expectError(.badSyntax) { _ = try WireTestSupport.parse(.aaaa, "2001:db8:::1") }
        WireTestSupport.expectError(.missingField) { _ = try WireTestSupport.parse(.mx, "10") }
        WireTestSupport.expectError(.extraField) { _ = try WireTestSupport.parse(.a, "192.0.2.1 extra") }
        WireTestSupport.expectError(.badSyntax) { _ = try WireTestSupport.parse(.mx, "65536 mx.example.") }
        WireTestSupport.expectError(.badEncoding) { _ = try WireTestSupport.parse(.tlsa, "3 1 1 abc") }
        WireTestSupport.expectError(.badEncoding) { _ = try WireTestSupport.parse(.dnskey, "256 3 8 AwEAA") }
        WireTestSupport.expectError(.badEncoding) { _ = try WireTestSupport.parse(.nsec3param, "1 0 0 xyz") }
        WireTestSupport.expectError(.unknownMnemonic) { _ = try WireTestSupport.parse(.nsec, "a. A BOGUS") }
        WireTestSupport.expectError(.badSyntax) { _ = try WireTestSupport.parse(.rrsig, "A 8 2 300 20241301000000 20230101000000 1 e. AA==") }
        WireTestSupport.expectError(.truncated) { _ = try WireTestSupport.parse(.a, "\\# 3 0a0000") }
        WireTestSupport.expectError(.badRDATA) { _ = try WireTestSupport.parse(RRType(1234), "\\# 4 0a0000") }
        WireTestSupport.expectError(.badSyntax) { _ = try WireTestSupport.parse(RRType(1234), "0a000001") }
        WireTestSupport.expectError(.tooLarge) { _ = try WireTestSupport.parse(.txt, "\"" + String(repeating: "x", count: 256) + "\"") }
        WireTestSupport.expectError(.badSyntax) { _ = try WireTestSupport.parse(.caa, "0 bad-tag \"x\"") }
    }

    /// RFC 9460 App. D.3 failure cases, and the wire-side checks.
    @Test func svcbStrictChecks() {
        let failures = [
            "1 foo.example.com. key123=abc key123=def",  // duplicate key
            "1 foo.example.com. mandatory",  // missing value
            "1 foo.example.com. alpn",
            "1 foo.example.com. port",
            "1 foo.example.com. ipv4hint",
            "1 foo.example.com. ipv6hint",
            "1 foo.example.com. no-default-alpn=abc",
            "1 foo.example.com. mandatory=key123",  // mandatory key missing
            "1 foo.example.com. mandatory=mandatory",
            "1 foo.example.com. ipv6hint=\"2001:db8::1,2001:db8::53:1",
            "1 foo.example.com. port=65536",
            "1 foo.example.com. key65535=x",
            "1 foo.example.com. bogus=x",
            "1 foo.example.com. mandatory=alpn,alpn alpn=h2",
        ]
        for text in failures {
            #expect(throws: DNSWireError.self, "\(text)") { _ = try WireTestSupport.parse(.svcb, text) }
        }
        // Keys out of order on the wire.
        let target: [UInt8] = [0]
        let unordered: [UInt8] = [0, 1] + target + [0, 3, 0, 2, 0, 53, 0, 1, 0, 3, 2, 0x68, 0x32]
        WireTestSupport.expectError(.badRDATA) { _ = try RDATARegistry.decode(type: .svcb, rdata: unordered) }
        let badPort: [UInt8] = [0, 1] + target + [0, 3, 0, 1, 53]
        WireTestSupport.expectError(.badRDATA) { _ = try RDATARegistry.decode(type: .svcb, rdata: badPort) }
    }

    @Test func typeBitmapRejectsBadWindows() {
        let next: [UInt8] = [0]
        // Window 1 before window 0.
        WireTestSupport.expectError(.badRDATA) { _ = try RDATARegistry.decode(type: .nsec, rdata: next + [1, 1, 0x40, 0, 1, 0x40]) }
        // Repeated window.
        WireTestSupport.expectError(.badRDATA) { _ = try RDATARegistry.decode(type: .nsec, rdata: next + [0, 1, 0x40, 0, 1, 0x40]) }
        // Length 0 and 33.
        WireTestSupport.expectError(.badRDATA) { _ = try RDATARegistry.decode(type: .nsec, rdata: next + [0, 0]) }
        WireTestSupport.expectError(.badRDATA) { _ = try RDATARegistry.decode(type: .nsec, rdata: next + [0, 33] + [UInt8](repeating: 1, count: 33)) }
        // Trailing zero octet.
        WireTestSupport.expectError(.badRDATA) { _ = try RDATARegistry.decode(type: .nsec, rdata: next + [0, 2, 0x40, 0]) }
        // Bitmap longer than the RDATA.
        WireTestSupport.expectError(.truncated) { _ = try RDATARegistry.decode(type: .nsec, rdata: next + [0, 4, 0x40]) }
    }

    @Test func dnssecTimes() {
        #expect(DNSSECTime.format(0) == "19700101000000")
        #expect(DNSSECTime.format(UInt32.max) == "21060207062815")
        #expect(DNSSECTime.parse(Array("20030322173103".utf8)) == 0x3E7C_9DD7)
        #expect(DNSSECTime.parse(Array("21060207062816".utf8)) == 0)  // wraps modulo 2^32
        #expect(DNSSECTime.parse(Array("20240229000000".utf8)) != nil)
        #expect(DNSSECTime.parse(Array("20230229000000".utf8)) == nil)
        #expect(DNSSECTime.parse(Array("1234".utf8)) == 1234)
    }

    @Test func dnskeyKeyTag() throws {
        // RFC 4034 §5.4: the DS for this key has key tag 60485... use the §2.3 key: tag 2642.
        let key = try #require(try WireTestSupport.parse(.dnskey, "256 3 5 AQPSKmynfzW4kyBv015MUG2DeIQ3Cbl+BBZH4b/0PY1kxkmvHjcZc8nokfzj31GajIQKY+5CptLr3buXA10hWqTkF7H6RfoRqXQeogmMHfpftf6zMv1LyBUgia7za6ZEzOJBOztyvhjL742iU/TpPSEDhm2SNKLijfUppn1UaNvv4w==") as? DNSKEY)
        #expect(key.keyTag == 2642)
        #expect(key.isZoneKey)
        #expect(!key.isSecureEntryPoint)
    }

    @Test func binaryTextCodecs() {
        #expect(BinaryText.base64([]) == "")
        #expect(BinaryText.base64([0x66]) == "Zg==")
        #expect(BinaryText.base64([0x66, 0x6F]) == "Zm8=")
        #expect(BinaryText.base64(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(BinaryText.decodeBase64(Array("Zm9vYg==".utf8)) == Array("foob".utf8))
        #expect(BinaryText.decodeBase64(Array("Zm9vYg=".utf8)) == nil)
        #expect(BinaryText.decodeBase64(Array("Zh==".utf8)) == nil)  // non-zero unused bits
        #expect(BinaryText.decodeBase64(Array("Zg==Zg==".utf8)) == nil)
        #expect(BinaryText.base32Hex(Array("foobar".utf8)) == "cpnmuoj1e8")
        #expect(BinaryText.decodeBase32Hex(Array("CPNMUOJ1E8".utf8)) == Array("foobar".utf8))
        #expect(BinaryText.decodeBase32Hex(Array("cpnmuoj1e9".utf8)) == nil)
        #expect(BinaryText.decodeHex(Array("0aFf".utf8)) == [0x0A, 0xFF])
        #expect(BinaryText.decodeHex(Array("0aF".utf8)) == nil)
    }
}
