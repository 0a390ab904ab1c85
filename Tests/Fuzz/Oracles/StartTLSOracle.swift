import DANE

/// The oracles of the smtp-reply and xmpp-stream fuzz targets. Each feeds arbitrary server
/// bytes to a STARTTLS negotiator: the first input byte picks the chunk size (1...16), the rest
/// is what the server sends. Bad input may only ever end in `.failed`, a failed negotiator stays
/// failed, and TLS starts only where the protocol allows it.
///
/// `scripts/fuzz smtp-reply|xmpp-stream` compiles this file into a module named DANE with
/// Sources/DANE/StartTLS (the import is then ignored); the tests use it through FuzzOracles.
public enum StartTLSOracle {
    /// SMTP (RFC 3207): TLS only after an EHLO reply line offering STARTTLS, and with nothing
    /// after the 220 go-ahead.
    public static func smtp(_ input: [UInt8]) throws(FuzzOracleViolation) {
        var negotiator = SMTPStartTLS()
        try run(&negotiator, input) { consumed throws(FuzzOracleViolation) in
            guard offersStartTLS(consumed) else { throw FuzzOracleViolation("TLS started without STARTTLS offered") }
            guard consumed.last == 0x0A else { throw FuzzOracleViolation("TLS started with bytes after the go-ahead") }
        }
    }

    /// XMPP (RFC 6120 §5.4): TLS starts only after a `proceed` tag ended the input consumed so far.
    public static func xmpp(_ input: [UInt8]) throws(FuzzOracleViolation) {
        var negotiator = XMPPStartTLS(domain: "fuzz.example")
        try run(&negotiator, input) { consumed throws(FuzzOracleViolation) in
            guard String(decoding: consumed, as: UTF8.self).contains("proceed") else {
                throw FuzzOracleViolation("TLS started without <proceed/>")
            }
            guard consumed.last == UInt8(ascii: ">") else { throw FuzzOracleViolation("TLS started with bytes after <proceed/>") }
        }
    }

    /// Whether some line of `bytes` is a 250 reply line whose keyword is STARTTLS, compared as
    /// SMTPStartTLS compares it: ASCII letters case-insensitively, every other byte exactly
    /// (RFC 5321 §2.4; Unicode upper-casing would read "ſtarttlſ" as STARTTLS).
    public static func offersStartTLS(_ bytes: ArraySlice<UInt8>) -> Bool {
        let wanted = Array("STARTTLS".utf8)
        for line in bytes.split(separator: 0x0A) {
            let text = line.last == 0x0D ? line.dropLast() : line
            guard text.count >= 4, Array(text.prefix(3)) == Array("250".utf8),
                text[text.startIndex + 3] == UInt8(ascii: "-") || text[text.startIndex + 3] == UInt8(ascii: " ")
            else { continue }
            let keyword = text.dropFirst(4).prefix { $0 != UInt8(ascii: " ") }
            if keyword.map({ (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }) == wanted { return true }
        }
        return false
    }

    private static func run<N: StartTLSNegotiator>(
        _ negotiator: inout N, _ input: [UInt8], startedTLS: (ArraySlice<UInt8>) throws(FuzzOracleViolation) -> Void
    ) throws(FuzzOracleViolation) {
        guard let first = input.first else { return }
        let chunk = Int(first % 16) + 1
        var offset = 1
        var failed = false
        _ = negotiator.start()
        while offset < input.count {
            let end = min(input.count, offset + chunk)
            let step = negotiator.receive(Array(input[offset..<end]))
            if failed {
                if case .failed = step {} else { throw FuzzOracleViolation("a failed negotiator recovered: \(step)") }
            }
            switch step {
            case .failed: failed = true
            case .startTLS:
                try startedTLS(input[1..<end])
                return
            case .send, .wait: break
            }
            offset = end
        }
        _ = negotiator.receiveEndOfStream()
    }
}
