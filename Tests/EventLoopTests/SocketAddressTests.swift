import EventLoop
import Testing

@Suite("Socket addresses", .timeLimit(.minutes(3)))
struct SocketAddressTests {
    @Test("IPv4 and bracketed IPv6 addresses parse and print back")
    func addressesRoundTrip() throws {
        let v4 = try SocketAddress(parsing: "127.0.0.1:8025")
        #expect(v4.family == .ipv4)
        #expect(v4.port == 8025)
        #expect(v4.description == "127.0.0.1:8025")
        let v6 = try SocketAddress(parsing: "[::1]:0")
        #expect(v6.family == .ipv6)
        #expect(v6.host == "::1")
        #expect(v6.description == "[::1]:0")
        #expect(try SocketAddress(parsing: "[0:0::1]:53") == SocketAddress(parsing: "[::1]:53"))
    }

    @Test(
        "malformed addresses are errors, not traps",
        arguments: ["", ":", "127.0.0.1", "127.0.0.1:", "::1:53", "[::1]", "[::1]53", "[::1:53", "localhost:80",
                    "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:+1", "1.2.3.256:1", "[]:1", "127.0.0.1:٣"])
    func malformedAddressIsRejected(text: String) {
        #expect(throws: EventLoopError.self) { try SocketAddress(parsing: text) }
    }
}
