import Testing

@testable import Gateway

/// The Host rewrite of `protocol = http` (RFC 9112): every request of a keep-alive connection,
/// bodies passed by their framing, and bounded memory on bad input.
@Suite struct HTTPRequestRewriterTests {
    private func rewrite(_ input: String, chunkSize: Int = .max) throws -> String {
        var rewriter = HTTPRequestRewriter(host: "www.dane.test")
        let bytes = Array(input.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + min(chunkSize, bytes.count - index))
            output += try rewriter.rewrite(Array(bytes[index..<end]))
            index = end
        }
        return String(decoding: output, as: UTF8.self)
    }

    @Test func pipelinedRequestsEachGetTheTargetHost() throws {
        let input =
            "GET /a HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: */*\r\n\r\n"
            + "POST /b HTTP/1.1\r\nhost: localhost\r\nContent-Length: 26\r\n\r\nHost: not-a-header-line\r\n"
            + "PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHost:\r\n0\r\nX-Trailer: 1\r\n\r\n"
            + "GET /d HTTP/1.1\r\n\r\n"
        let expected =
            "GET /a HTTP/1.1\r\nHost: www.dane.test\r\nAccept: */*\r\n\r\n"
            + "POST /b HTTP/1.1\r\nHost: www.dane.test\r\nContent-Length: 26\r\n\r\nHost: not-a-header-line\r\n"
            + "PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\nHost: www.dane.test\r\n\r\n5\r\nHost:\r\n0\r\nX-Trailer: 1\r\n\r\n"
            + "GET /d HTTP/1.1\r\nHost: www.dane.test\r\n\r\n"
        #expect(try rewrite(input) == expected)
        // The same bytes fed one at a time give the same result.
        #expect(try rewrite(input, chunkSize: 1) == expected)
    }

    @Test func aSecondHostFieldIsDropped() throws {
        #expect(try rewrite("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") == "GET / HTTP/1.1\r\nHost: www.dane.test\r\n\r\n")
    }

    @Test func badFramingIsRefused() {
        for input in [
            "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            "GET / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
            "PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
            "NOT-A-REQUEST\r\n\r\n",
            "GET / HTTP/1.1\r\n folded: value\r\n\r\n",
        ] {
            #expect(throws: HTTPRequestRewriter.Failure.self, "\(input.debugDescription)") { try rewrite(input) }
        }
    }

    /// A fuzzer finding (Tests/Fuzz/http-request/corpus/finding-chunk-size-negative): a chunk
    /// size with a sign parsed as a negative count and trapped when the chunk's bytes were
    /// taken. RFC 9112 §7.1: chunk-size = 1*HEXDIG, so a sign of either kind is refused.
    @Test func aSignedChunkSizeIsRefused() {
        for size in ["-5", "+5", "-0", "0x5"] {
            let input = "PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\(size)\r\nhello\r\n0\r\n\r\n"
            #expect(throws: HTTPRequestRewriter.Failure(detail: "bad chunk size"), "\(size)") { try rewrite(input) }
        }
    }

    /// A fuzzer finding (Tests/Fuzz/http-request/corpus/finding-obs-text-tripled): field values
    /// were decoded as UTF-8 and written back, so obs-text bytes (RFC 9110 §5.5) became U+FFFD,
    /// changed and three times their size. The client's bytes are kept; only OWS is dropped.
    @Test func obsTextInAFieldValueIsPassedUnchanged() throws {
        var rewriter = HTTPRequestRewriter(host: "www.dane.test")
        let value: [UInt8] = [0x61, 0xFF, 0xE9, 0x80, 0x62]
        let input = Array("GET / HTTP/1.1\r\nX-Raw:  ".utf8) + value + Array(" \t\r\nHost: x\r\n\r\n".utf8)
        let expected = Array("GET / HTTP/1.1\r\nX-Raw: ".utf8) + value + Array("\r\nHost: www.dane.test\r\n\r\n".utf8)
        #expect(try rewriter.rewrite(input) == expected)
    }

    @Test func anEndlessHeaderIsRefusedAtTheBound() {
        var rewriter = HTTPRequestRewriter(host: "www.dane.test")
        let line = Array("X-Filler: \(String(repeating: "a", count: 1000))\r\n".utf8)
        #expect(throws: HTTPRequestRewriter.Failure.self) {
            _ = try rewriter.rewrite(Array("GET / HTTP/1.1\r\n".utf8))
            for _ in 0..<100 { _ = try rewriter.rewrite(line) }
        }
    }

    @Test func upgradePassesTheRestThrough() throws {
        let input = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u{1}\u{2}Host: raw"
        #expect(try rewrite(input).hasSuffix("\r\n\r\n\u{1}\u{2}Host: raw"))
    }
}
