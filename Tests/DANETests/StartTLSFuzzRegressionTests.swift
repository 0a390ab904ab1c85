import Foundation
import TestSupport
import Testing

@testable import DANE

/// Keeps the STARTTLS fuzz targets (`scripts/fuzz smtp-reply|xmpp-stream`, Tests/Fuzz/README.md)
/// honest in the ordinary test run: the seeds meant to succeed still reach `.startTLS`, and the
/// size limits hold. (Tests/FuzzTests replays every corpus through its oracle.)
@Suite struct StartTLSFuzzRegressionTests {
    /// The seed files of one fuzz target, by name.
    static func seeds(_ target: String) throws -> [String: [UInt8]] {
        let folder = repositoryRootPath + "/Tests/Fuzz/\(target)/corpus"
        var seeds: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
            seeds[name] = Array(data)
        }
        return seeds
    }

    /// Feeds `input` the way the oracle does (first byte: chunk size - 1) and returns the step
    /// that ended the exchange.
    static func lastStep<N: StartTLSNegotiator>(_ negotiator: inout N, _ input: [UInt8]) -> NegotiationStep {
        guard let first = input.first else { return .wait }
        let chunk = Int(first % 16) + 1
        var step = negotiator.start()
        var offset = 1
        while offset < input.count {
            let end = min(input.count, offset + chunk)
            step = negotiator.receive(Array(input[offset..<end]))
            switch step {
            case .failed, .startTLS: return step
            case .send, .wait: offset = end
            }
        }
        return step
    }

    /// The seeds called full-exchange (1-byte chunks) must get as far as TLS, or the fuzzer would
    /// start from inputs that never reach the go-ahead check.
    @Test func fullExchangeSeedsReachTLS() throws {
        let smtp = try #require(try Self.seeds("smtp-reply")["full-exchange"])
        var smtpNegotiator = SMTPStartTLS()
        #expect(Self.lastStep(&smtpNegotiator, smtp) == .startTLS)
        let xmpp = try #require(try Self.seeds("xmpp-stream")["full-exchange"])
        var xmppNegotiator = XMPPStartTLS(domain: "fuzz.example")
        #expect(Self.lastStep(&xmppNegotiator, xmpp) == .startTLS)
    }

    /// The size limits (DESIGN rule 11). The fuzzer reaches the line, line-count and tag limits
    /// only from the long seeds; the scanner's 64 KB buffer limit it cannot reach at all, since
    /// its chunks are at most 16 bytes and an open tag fails at 8 KB first.
    @Test func sizeLimitsFailCleanly() {
        func failed(_ step: NegotiationStep) -> Bool {
            if case .failed(let failure) = step { return failure.reason == .starttlsNotSupported }
            return false
        }
        var longLine = SMTPStartTLS()
        #expect(failed(longLine.receive(Array("220-".utf8) + [UInt8](repeating: 0x61, count: SMTPReplyReader.maxLineLength))))
        var longLineWithNewline = SMTPStartTLS()
        let line = Array("220 ".utf8) + [UInt8](repeating: 0x61, count: SMTPReplyReader.maxLineLength) + [0x0D, 0x0A]
        #expect(failed(longLineWithNewline.receive(line)))
        var manyLines = SMTPStartTLS()
        let lines = Array(String(repeating: "220-x\r\n", count: SMTPReplyReader.maxLines + 1).utf8)
        #expect(failed(manyLines.receive(lines)))

        let header = Array("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>".utf8)
        var longTag = XMPPStartTLS(domain: "fuzz.example")
        _ = longTag.start()
        #expect(longTag.receive(header) == .wait)
        #expect(failed(longTag.receive([UInt8(ascii: "<")] + [UInt8](repeating: 0x61, count: XMLTagScanner.maxTagLength))))
        var bigChunk = XMPPStartTLS(domain: "fuzz.example")
        _ = bigChunk.start()
        #expect(failed(bigChunk.receive(header + [UInt8](repeating: 0x20, count: XMLTagScanner.maxBuffered))))
    }
}
