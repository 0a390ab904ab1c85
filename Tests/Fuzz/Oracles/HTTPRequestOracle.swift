@testable import Gateway

/// The oracle of the `http-request` fuzz target (Tests/Fuzz/http-request), also run over its
/// corpus by Tests/FuzzTests. `scripts/fuzz http-request` compiles this file into a module named
/// Gateway with Sources/Gateway/FrontEnds/HTTPRequestRewriter.swift (the import is then ignored).
///
/// The first input byte picks the chunk size (1...16), the rest is what the client sends,
/// pipelined requests with Content-Length, chunked or no bodies (RFC 9112 §6.3). The rewriter
/// may refuse the bytes, and a refused rewriter is not used again (the gateway closes). Up to
/// the refusal, or for all of it:
/// - the output does not depend on how the bytes were cut into reads (up to the read refused);
/// - it is bounded: at most twice the input (LF becomes CRLF, `name:value` gains a space) plus
///   one Host line for each line end;
/// - rewriting it again changes nothing: every request in it already carries exactly the
///   target's Host, and its bodies are framed as they were, so body bytes pass unchanged.
public enum HTTPRequestOracle {
    public static let host = "upstream.example:8443"

    public static func check(_ input: [UInt8]) throws(FuzzOracleViolation) {
        guard let first = input.first else { return }
        let client = Array(input.dropFirst())
        let chunked = rewrite(client, chunkSize: Int(first % 16) + 1)
        let whole = rewrite(client, chunkSize: max(client.count, 1))
        // A refusal drops the output of the read it happened in (the connection closes), so
        // then the output of one read of everything is a prefix of that of smaller reads.
        guard chunked.refused == whole.refused,
            whole.refused ? chunked.output.starts(with: whole.output) : chunked.output == whole.output
        else { throw FuzzOracleViolation("the output depends on how the input was cut into reads") }
        let lineEnds = client.count { $0 == 10 }
        let hostLine = "Host: \(host)\r\n".utf8.count
        guard whole.output.count <= 2 * client.count + hostLine * lineEnds else {
            throw FuzzOracleViolation("\(whole.output.count) bytes out of \(client.count)")
        }
        guard !whole.refused else { return }
        let again = rewrite(whole.output, chunkSize: max(whole.output.count, 1))
        guard !again.refused else { throw FuzzOracleViolation("its own output is refused") }
        guard again.output == whole.output else { throw FuzzOracleViolation("rewriting the output again changes it") }
    }

    /// The rewriter's output for `bytes` fed `chunkSize` at a time, up to its first refusal.
    static func rewrite(_ bytes: [UInt8], chunkSize: Int) -> (output: [UInt8], refused: Bool) {
        var rewriter = HTTPRequestRewriter(host: host)
        var output: [UInt8] = []
        var start = 0
        while start < bytes.count {
            let end = min(start + chunkSize, bytes.count)
            do {
                output += try rewriter.rewrite(Array(bytes[start..<end]))
            } catch {
                return (output, true)
            }
            start = end
        }
        return (output, false)
    }
}
