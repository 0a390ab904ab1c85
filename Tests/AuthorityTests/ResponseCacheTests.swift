@testable import Authority
import DNSWire
import Testing

/// The server's response cache: a query that differs only in ID gets the same response with
/// its own ID; the cache stays bounded.
@Suite struct ResponseCacheTests {
    @Test func cachedResponseCarriesTheNewID() throws {
        let responder = QueryResponder(answerer: try answerer(makeZone()))
        let cache = ResponseCache(capacity: 2)
        var computed = 0
        func respond(_ id: UInt16, _ name: String) throws -> Message {
            let query = try Message.query(id: id, name: try Name(presentation: name), type: .a).encode()
            let bytes = try #require(cache.response(to: query) { computed += 1; return responder.respond(to: $0, transport: .udp) })
            return try Message(bytes: bytes)
        }
        let first = try respond(1, "www.example.")
        let second = try respond(2, "www.example.")
        #expect(first.header.id == 1 && second.header.id == 2)
        #expect(first.answers == second.answers)
        #expect(computed == 1)
        // Case is part of the key: the question is echoed as asked.
        let upper = try respond(3, "WWW.example.")
        #expect(upper.questions.first?.name.isIdentical(to: try Name(presentation: "WWW.example.")) == true)
        #expect(computed == 2)
        // Full: emptied, never grown past its capacity.
        _ = try respond(4, "mail.example.")
        _ = try respond(5, "www.example.")
        #expect(computed == 4)
    }
}
