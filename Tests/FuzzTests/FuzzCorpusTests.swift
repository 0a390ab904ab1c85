import DANE
import DNSWire
import Foundation
import FuzzOracles
import TestSupport
import Testing

/// Every fuzz target's corpus (Tests/Fuzz/<target>/corpus: the seeds and every finding ever
/// made) replayed through the target's oracle in the ordinary test run, so a finding stays fixed
/// and a seed that stops passing is noticed without running libFuzzer.
@Suite struct FuzzCorpusTests {
    typealias Oracle = @Sendable ([UInt8]) throws(FuzzOracleViolation) -> Void

    /// Every target under Tests/Fuzz, its oracle, whether its first byte picks the chunk size
    /// (then every chunk size is replayed), and the number of files in its corpus.
    static let targets: [String: (oracle: Oracle, chunked: Bool, files: Int)] = [
        "dns-message": ({ bytes throws(FuzzOracleViolation) in try DNSMessageOracle.check(bytes) }, false, 33),
        "zone-file": ({ bytes throws(FuzzOracleViolation) in try ZoneFileOracle.check(bytes) }, false, 9),
        "smtp-reply": ({ bytes throws(FuzzOracleViolation) in try StartTLSOracle.smtp(bytes) }, true, 13),
        "xmpp-stream": ({ bytes throws(FuzzOracleViolation) in try StartTLSOracle.xmpp(bytes) }, true, 10),
        "config": ({ bytes throws(FuzzOracleViolation) in try ConfigurationOracle.check(bytes) }, false, 12),
        "http-response": ({ bytes throws(FuzzOracleViolation) in try HTTPResponseOracle.check(bytes) }, false, 10),
        "http-request": ({ bytes throws(FuzzOracleViolation) in try HTTPRequestOracle.check(bytes) }, true, 14),
        "tlsa-text": ({ bytes throws(FuzzOracleViolation) in try TLSAPresentationOracle.check(bytes) }, false, 14),
        "audit-log": ({ bytes throws(FuzzOracleViolation) in try AuditLogOracle.check(bytes) }, false, 6),
        "xmpp-client": ({ bytes throws(FuzzOracleViolation) in try XMPPClientOracle.check(bytes) }, true, 10),
    ]

    static let fuzzFolder = repositoryRootPath + "/Tests/Fuzz"

    /// The files of one target's corpus, by name.
    static func corpus(_ target: String) throws -> [String: [UInt8]] {
        let folder = fuzzFolder + "/\(target)/corpus"
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            files[name] = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
        }
        return files
    }

    /// The same input with its first byte (the STARTTLS oracles' chunk-size selector) set to
    /// each of the 16 chunk sizes; long seeds (the size-limit ones) only as they are, since the
    /// scanner's rescans of an open 8 KB tag make 16 replays take seconds in a debug build.
    static func everyChunkSize(_ input: [UInt8]) -> [[UInt8]] {
        guard !input.isEmpty else { return [] }
        guard input.count <= 2048 else { return [input] }
        return (0..<16).map { size in [UInt8(size)] + input.dropFirst() }
    }

    /// A target added under Tests/Fuzz without an entry here fails, as does a corpus that lost
    /// or gained files unnoticed.
    @Test func everyTargetIsReplayedWithItsWholeCorpus() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.fuzzFolder).filter {
            FileManager.default.fileExists(atPath: Self.fuzzFolder + "/\($0)/corpus")
        }
        #expect(folders.sorted() == Self.targets.keys.sorted())
        for (target, entry) in Self.targets {
            #expect(try Self.corpus(target).count == entry.files, "\(target)")
        }
    }

    @Test(arguments: targets.keys.sorted())
    func corpusPassesTheOracle(target: String) throws {
        let entry = try #require(Self.targets[target])
        for (name, input) in try Self.corpus(target).sorted(by: { $0.key < $1.key }) {
            for variant in entry.chunked ? Self.everyChunkSize(input) : [input] {
                do {
                    try entry.oracle(variant)
                } catch {
                    Issue.record("\(target)/corpus/\(name) (first byte \(variant.first ?? 0)): \(error)")
                }
            }
        }
    }

    /// The findings in the corpora still reach the code they were found in: the EDE message
    /// decodes (so its round trip is checked, not skipped), and the Unicode look-alikes of
    /// STARTTLS (RFC 5321 §2.4: keywords compare in ASCII only) are refused as not offered.
    @Test func findingsStillReachTheirCode() throws {
        let dns = try Self.corpus("dns-message")
        let ede = try #require(dns["finding-ede-extra-text-two-nuls"])
        #expect(throws: Never.self) { _ = try Message(bytes: ede) }

        let smtp = try Self.corpus("smtp-reply")
        for name in ["unicode-long-s-starttls", "unicode-st-ligature-starttls"] {
            let input = try #require(smtp[name])
            var negotiator = SMTPStartTLS()
            _ = negotiator.start()
            // The file's first byte is 0 (1-byte chunks); the whole rest at once gives the same verdict.
            let last = negotiator.receive(Array(input.dropFirst()))
            guard case .failed(let failure) = last else {
                Issue.record("\(name) was not refused: \(last)")
                continue
            }
            #expect(failure.reason == .starttlsNotSupported, "\(name)")
        }
    }

    /// The SMTP oracle's keyword rule is the negotiator's: ASCII case-insensitive only.
    @Test func smtpOracleComparesKeywordsInASCIIOnly() {
        let go = Array("220 mx\r\n250-mx hello\r\n".utf8)
        for (keyword, offered) in [("STARTTLS", true), ("starttls", true), ("StartTls", true), ("ſtarttlſ", false), ("ﬆarttls", false)] {
            var negotiator = SMTPStartTLS()
            _ = negotiator.receive(Array("220 mx\r\n".utf8))
            let step = negotiator.receive(Array("250-mx hello\r\n250 \(keyword)\r\n".utf8))
            #expect((step == .send(Array("STARTTLS\r\n".utf8))) == offered, "negotiator, \(keyword)")
            let input = [0xFF] + go + Array("250 \(keyword)\r\n220 go\r\n".utf8)
            // With the oracle's rule, a negotiator that started TLS on this input passes exactly
            // when the keyword counts as offered.
            #expect(StartTLSOracle.offersStartTLS(ArraySlice(input.dropFirst())) == offered, "oracle, \(keyword)")
        }
    }
}
