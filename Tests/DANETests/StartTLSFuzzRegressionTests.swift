import Foundation
import TestSupport
import Testing

@testable import DANE

/// Keeps the STARTTLS fuzz targets (`scripts/fuzz smtp-reply|xmpp-stream`, Tests/Fuzz/README.md)
/// honest in the ordinary test run: their seed corpora pass the oracles at every chunk size, the
/// seeds meant to succeed still reach `.startTLS`, and inputs found by the fuzzer stay fixed.
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

    /// The same input with its first byte (the oracle's chunk-size selector) set to each of the
    /// 16 chunk sizes.
    static func everyChunkSize(_ input: [UInt8]) -> [[UInt8]] {
        guard !input.isEmpty else { return [] }
        return (0..<16).map { size in [UInt8(size)] + input.dropFirst() }
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

    @Test func smtpSeedsPassTheOracleAtEveryChunkSize() throws {
        let seeds = try Self.seeds("smtp-reply")
        #expect(seeds.count >= 5)
        for input in seeds.values {
            for variant in Self.everyChunkSize(input) { StartTLSFuzzing.smtp(variant) }
        }
    }

    @Test func xmppSeedsPassTheOracleAtEveryChunkSize() throws {
        let seeds = try Self.seeds("xmpp-stream")
        #expect(seeds.count >= 5)
        for input in seeds.values {
            for variant in Self.everyChunkSize(input) { StartTLSFuzzing.xmpp(variant) }
        }
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
}
