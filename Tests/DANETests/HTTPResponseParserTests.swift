import Testing

@testable import DANE

@Suite struct HTTPResponseParserTests {
    private func parse(_ text: String) throws -> DANEHTTPClient.Response {
        try HTTPResponseParser.parse(Array(text.utf8))
    }

    @Test func contentLengthBody() throws {
        let response = try parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: x\r\n\r\nhello, and more")
        #expect(response.status == 200 && response.reason == "OK")
        #expect(response.body == Array("hello".utf8))
        #expect(response.header("server") == "x")
    }

    @Test func chunkedBody() throws {
        let response = try parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n")
        #expect(String(decoding: response.body, as: UTF8.self) == "hello, world")
    }

    @Test func bodyToTheEndOfTheConnection() throws {
        #expect(try parse("HTTP/1.0 404 Not Found\r\n\r\ngone").body == Array("gone".utf8))
    }

    @Test(arguments: [
        "", "HTTP/1.1 200 OK\r\n", "SMTP 220 hi\r\n\r\n", "HTTP/1.1 abc OK\r\n\r\n", "HTTP/1.1 200 OK\r\nbad header\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\nx",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
    ])
    func malformedResponsesAreErrors(_ text: String) {
        #expect(throws: (any Error).self) { try parse(text) }
    }
}
