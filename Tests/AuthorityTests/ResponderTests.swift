import Authority
import DNSWire
import Testing

/// `QueryResponder`: bytes in, bytes out, for malformed queries and UDP size limits.
@Suite struct ResponderTests {
    func responder(_ text: String = exampleZoneText) throws -> QueryResponder {
        QueryResponder(answerer: try answerer(makeZone(text)))
    }

    @Test func garbageAfterAReadableHeaderIsFORMERR() throws {
        var bytes: [UInt8] = [0xAB, 0xCD, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]
        bytes += [0xFF, 0xFE, 0x00]
        let response = try #require(try responder().respond(to: bytes, transport: .udp))
        let message = try Message(bytes: response)
        #expect(message.header.id == 0xABCD)
        #expect(message.header.isResponse)
        #expect(message.rcode == .formErr)
    }

    @Test func shorterThanAHeaderGetsNoAnswer() throws {
        #expect(try responder().respond(to: [1, 2, 3], transport: .udp) == nil)
        #expect(try responder().respond(to: [], transport: .tcp) == nil)
    }

    @Test func responsesAreNeverAnswered() throws {
        var query = Message.query(id: 7, name: try Name(presentation: "www.example."), type: .a)
        query.header.isResponse = true
        #expect(try responder().respond(to: try query.encode(), transport: .udp) == nil)
    }

    @Test func everyPrefixOfAQueryFailsCleanly() throws {
        let bytes = try Message.query(id: 7, name: try Name(presentation: "www.example."), type: .a).encode()
        let server = try responder()
        for length in 0..<bytes.count {
            let response = server.respond(to: Array(bytes[0..<length]), transport: .udp)
            if length < 12 {
                #expect(response == nil)
            } else {
                #expect(try response.map { try Message(bytes: $0).rcode } == .formErr)
            }
        }
    }

    @Test func udpAnswerIsTruncatedTo512WithoutEDNS() throws {
        var text = exampleZoneText
        for index in 0..<40 { text += "big TXT \"record number \(index) with some padding to make it long\"\n" }
        for index in 0..<15 { text += "medium TXT \"record number \(index) with some padding to make it long\"\n" }
        let server = try responder(text)
        let plain = Message.query(id: 1, name: try Name(presentation: "big.example."), type: .txt, edns: nil)
        let udp = try #require(server.respond(to: try plain.encode(), transport: .udp))
        #expect(udp.count <= 512)
        #expect(try Message(bytes: udp).header.isTruncated)
        // Over TCP the whole set comes.
        let tcp = try #require(server.respond(to: try plain.encode(), transport: .tcp))
        let full = try Message(bytes: tcp)
        #expect(!full.header.isTruncated)
        #expect(full.answers.count == 40)
        // With EDNS the client's size counts, up to our maximum of 1232.
        let large = Message.query(id: 1, name: try Name(presentation: "big.example."), type: .txt,
                                  edns: EDNS(udpPayloadSize: 4096))
        let capped = try #require(server.respond(to: try large.encode(), transport: .udp))
        #expect(capped.count <= 1232)
        #expect(try Message(bytes: capped).header.isTruncated)
        let medium = Message.query(id: 1, name: try Name(presentation: "medium.example."), type: .txt,
                                   edns: EDNS(udpPayloadSize: 4096))
        let fits = try #require(server.respond(to: try medium.encode(), transport: .udp))
        #expect(fits.count > 512 && fits.count <= 1232)
        #expect(try Message(bytes: fits).answers.count == 15)
    }
}
