@testable import Gateway

/// The oracle of the `xmpp-client` fuzz target (Tests/Fuzz/xmpp-client), also run over its corpus
/// by Tests/FuzzTests. `scripts/fuzz xmpp-client` compiles this file into a module named Gateway
/// with Sources/Gateway/FrontEnds (the import is then ignored).
///
/// The first input byte picks the chunk size (1...16), the rest is what an XMPP client sends
/// first (RFC 6120 §4.7: the opening stream header). `XMPPFrontEnd.examine` sees every early
/// byte received so far after each read, as the gateway calls it:
/// - the verdict (a domain, or a refusal) does not depend on how the bytes were cut into reads;
/// - once it named a domain it keeps naming the same one;
/// - a domain is a bare DNS name (letters, digits, '-', '.'), at most 253 bytes;
/// - a refusal is written as one stream error that stays printable ASCII.
public enum XMPPClientOracle {
    public static func check(_ input: [UInt8]) throws(FuzzOracleViolation) {
        guard let first = input.first else { return }
        let client = Array(input.dropFirst())
        let chunked = try verdict(client, chunkSize: Int(first % 16) + 1)
        let whole = try verdict(client, chunkSize: max(client.count, 1))
        guard chunked == whole else {
            throw FuzzOracleViolation("\(chunked) in reads, \(whole) at once")
        }
        switch whole {
        case .ready(let domain?):
            guard !domain.isEmpty, domain.utf8.count <= 253,
                domain.utf8.allSatisfy({ byte in
                    (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                        || byte == 0x2D || byte == 0x2E
                })
            else { throw FuzzOracleViolation("the domain \(domain.debugDescription) is not a bare DNS name") }
        case .ready(nil):
            throw FuzzOracleViolation("a stream header without a domain was accepted")
        case .invalid(let reason):
            let refusal = XMPPFrontEnd(needsPrelude: true).refusal(reason)
            guard refusal.allSatisfy({ (0x20..<0x7F).contains($0) }) else {
                throw FuzzOracleViolation("the refusal is not printable ASCII")
            }
        case .needMore:
            break
        }
    }

    /// The front end's last verdict after the bytes were received `chunkSize` at a time.
    static func verdict(_ bytes: [UInt8], chunkSize: Int) throws(FuzzOracleViolation) -> ClientPrelude {
        var frontEnd = XMPPFrontEnd(needsPrelude: true)
        var early: [UInt8] = []
        var last = ClientPrelude.needMore
        var start = 0
        while start < bytes.count {
            let end = min(start + chunkSize, bytes.count)
            early += bytes[start..<end]
            start = end
            let next = frontEnd.examine(early)
            if case .ready = last, next != last { throw FuzzOracleViolation("a named domain changed to \(next)") }
            last = next
            if case .invalid = next { break }
        }
        // A domain once named is still named without further bytes.
        if case .ready = last, frontEnd.examine(early) != last { throw FuzzOracleViolation("a named domain was forgotten") }
        return last
    }
}
