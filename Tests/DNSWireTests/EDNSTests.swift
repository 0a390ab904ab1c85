import Testing
@testable import DNSWire

@Suite struct EDNSTests {
    static func roundTrip(_ edns: EDNS) throws -> EDNS? {
        let message = Message(questions: [Question(name: "example.", type: .a)], edns: edns)
        return try Message(bytes: try message.encode()).edns
    }

    @Test func optionsRoundTrip() throws {
        let edns = EDNS(udpPayloadSize: 4096, extendedRCode: 0, version: 0, dnssecOK: true, z: 0x0123, options: [
            .extendedError(ExtendedDNSError(.dnssecBogus, extraText: "signature expired: ünïcode")),
            .extendedError(ExtendedDNSError(.unassigned(4000))),
            .cookie(try #require(Cookie(client: [UInt8](repeating: 0xAB, count: 8)))),
            .padding(37),
            .clientSubnet(try #require(ClientSubnet(address: [192, 0, 2, 129], sourcePrefixLength: 25))),
            .unknown(code: 65001, data: [1, 2, 3]),
            .unknown(code: 3, data: []),  // NSID request
        ])
        let decoded = try #require(try Self.roundTrip(edns))
        #expect(decoded == edns)
        #expect(decoded.extendedError?.infoCode == .dnssecBogus)
        #expect(decoded.extendedError?.extraText == "signature expired: ünïcode")
        #expect(decoded.cookie?.server == [])
        if case .clientSubnet(let subnet) = decoded.options[4] {
            #expect(subnet.address == [192, 0, 2, 128])
            #expect(subnet.family == 1)
        } else {
            Issue.record("client subnet missing")
        }
    }

    @Test func extendedRCodeAndVersion() throws {
        var message = Message(questions: [Question(name: ".", type: .ns)])
        message.rcode = .badVers
        #expect(message.edns != nil)
        #expect(message.header.rcodeLow == 0)
        message.edns?.version = 1
        let decoded = try Message(bytes: try message.encode())
        #expect(decoded.rcode == .badVers)
        #expect(decoded.edns?.version == 1)
    }

    @Test func infoCodes() {
        #expect(ExtendedDNSError.InfoCode(rawValue: 6) == .dnssecBogus)
        #expect(ExtendedDNSError.InfoCode.dnssecBogus.rawValue == 6)
        #expect(ExtendedDNSError.InfoCode.invalidData.rawValue == 24)
        #expect(ExtendedDNSError.InfoCode(rawValue: 49152) == .unassigned(49152))
        for raw in UInt16(0)...40 { #expect(ExtendedDNSError.InfoCode(rawValue: raw).rawValue == raw) }
    }

    /// A raw OPT RDATA with one option.
    static func decodeOption(code: UInt16, data: [UInt8]) throws -> [EDNSOption] {
        let rdata = [UInt8(code >> 8), UInt8(code & 0xFF), UInt8(data.count >> 8), UInt8(data.count & 0xFF)] + data
        let opt = try #require(try RDATARegistry.decode(type: .opt, rdata: rdata) as? OPT)
        return opt.options
    }

    @Test func malformedOptions() throws {
        // Cookies: client 8, server 8...32.
        for length in [0, 7, 9, 15, 41] {
            WireTestSupport.expectError(.badOption) { _ = try Self.decodeOption(code: 10, data: [UInt8](repeating: 1, count: length)) }
        }
        #expect(try Self.decodeOption(code: 10, data: [UInt8](repeating: 1, count: 40)).count == 1)
        #expect(Cookie(client: [1], server: []) == nil)
        // EDE shorter than the info code.
        WireTestSupport.expectError(.badOption) { _ = try Self.decodeOption(code: 15, data: [0]) }
        // Client subnet: bad family, address too long, bits past the prefix.
        WireTestSupport.expectError(.badOption) { _ = try Self.decodeOption(code: 8, data: [0, 3, 8, 0, 10]) }
        WireTestSupport.expectError(.badOption) { _ = try Self.decodeOption(code: 8, data: [0, 1, 8, 0, 10, 0]) }
        WireTestSupport.expectError(.badOption) { _ = try Self.decodeOption(code: 8, data: [0, 1, 7, 0, 0x03]) }
        WireTestSupport.expectError(.badOption) { _ = try Self.decodeOption(code: 8, data: [0, 1, 33, 0, 1, 2, 3, 4, 5]) }
        // An option running past the RDATA.
        WireTestSupport.expectError(.badOption) { _ = try RDATARegistry.decode(type: .opt, rdata: [0, 12, 0, 5, 0]) }
    }

    @Test func extraTextDropsATrailingNUL() throws {
        let options = try Self.decodeOption(code: 15, data: [0, 3, 0x68, 0x69, 0])
        #expect(options == [.extendedError(ExtendedDNSError(.staleAnswer, extraText: "hi"))])
        // Fuzz finding: two NULs used to leave one, and re-encoding then lost it.
        let twice = try Self.decodeOption(code: 15, data: [0, 3, 0x68, 0, 1, 0, 0])
        #expect(twice == [.extendedError(ExtendedDNSError(.staleAnswer, extraText: "h\u{0}\u{1}"))])
    }
}
