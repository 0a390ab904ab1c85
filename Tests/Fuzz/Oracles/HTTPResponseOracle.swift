@testable import DANE

/// The oracle of the `http-response` fuzz target (Tests/Fuzz/http-response), also run over its
/// corpus by Tests/FuzzTests. `scripts/fuzz http-response` compiles this file into a module named
/// DANE with Sources/DANE/Connect/HTTPResponseParser.swift and the entry point's stand-ins for the
/// client's types (the import is then ignored).
///
/// The input is a whole response as a server sent it. The parser may refuse it with an error;
/// when it accepts it, the status is three digits' worth (100...999), there is no more header
/// than lines in the head, and the body is never longer than the bytes after the head: with
/// Content-Length a prefix of them, chunked (RFC 9112 §7.1) no longer than them.
public enum HTTPResponseOracle {
    public static func check(_ bytes: [UInt8]) throws(FuzzOracleViolation) {
        let response: DANEHTTPClient.Response
        do {
            response = try HTTPResponseParser.parse(bytes)
        } catch {
            return
        }
        guard (100...999).contains(response.status) else { throw FuzzOracleViolation("status \(response.status)") }
        guard let headerEnd = HTTPResponseParser.find([13, 10, 13, 10], in: bytes[...]) else {
            throw FuzzOracleViolation("accepted a response without the end of its head")
        }
        let after = Array(bytes[(headerEnd + 4)...])
        guard response.body.count <= after.count else {
            throw FuzzOracleViolation("a body of \(response.body.count) bytes from \(after.count)")
        }
        let lines = bytes[..<headerEnd].split(separator: 10, omittingEmptySubsequences: false).count
        guard response.headers.count < max(lines, 1) else { throw FuzzOracleViolation("more header fields than lines") }
        let chunked = response.headers.first { $0.name.lowercased() == "transfer-encoding" }?.value
            .lowercased().contains("chunked") == true
        if !chunked, response.body != Array(after.prefix(response.body.count)) {
            throw FuzzOracleViolation("a body that is not the bytes after the head")
        }
    }
}
