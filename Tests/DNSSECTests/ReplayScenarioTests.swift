import DNSSEC
import DNSWire
import Testing

/// Replay scenarios (.rpl) from Deckard and Unbound: the validator, fed from the canned answers
/// of the RANGE entries at the configured `val-override-date` and with the scenario's
/// `domain-insecure` and `harden-algo-downgrade`, must give each CHECK_ANSWER's verdict (AD:
/// secure; SERVFAIL: bogus; an answer without AD: insecure, or indeterminate when no trust
/// anchor covers it). Each query is resolved as a resolver does, following CNAME and DNAME
/// chains with a new question for each target (``ChasingResolver``).
@Suite struct ReplayScenarioTests {
    static let deckard: [String] = (try? VectorFiles.files(in: "deckard/sets/resolver", prefix: "val_minimal_")) ?? []
    static let unboundNSEC3: [String] = (try? VectorFiles.files(in: "unbound/testdata", prefix: "val_nsec3_b")) ?? []

    static func run(_ path: String) async throws -> [(ReplayScenario.Step, ValidationResult)] {
        let scenario = try ReplayScenario(text: VectorFiles.text(path))
        #expect(!scenario.trustAnchors.isEmpty, "\(path): no trust anchor")
        return await run(scenario, path)
    }

    static func run(_ scenario: ReplayScenario, _ name: String) async -> [(ReplayScenario.Step, ValidationResult)] {
        #expect(!scenario.steps.isEmpty, "\(name): no steps")
        let date = scenario.date
        let validator = DNSSECValidator(
            anchors: scenario.anchors, fetcher: scenario.fetcher, configuration: scenario.validatorConfiguration, clock: { date })
        let resolver = ChasingResolver(fetcher: scenario.fetcher)
        var results: [(ReplayScenario.Step, ValidationResult)] = []
        for step in scenario.steps {
            switch await resolver.resolve(step.question) {
            case .failure(let text):
                results.append((step, ValidationResult(status: .indeterminate(ValidationReason(.networkError, text)))))
            case .response(let message):
                results.append((step, await validator.validate(message, for: step.question)))
            }
        }
        return results
    }

    @Test func twentyDeckardScenarios() {
        #expect(Self.deckard.count == 20)
        #expect(Self.deckard.contains("val_minimal_noerror.rpl"))
    }

    /// `noerror` must be secure; the 19 others break one thing each and must be bogus.
    @Test(arguments: deckard)
    func deckardMinimal(file: String) async throws {
        for (step, result) in try await Self.run("deckard/sets/resolver/\(file)") {
            let expected = file == "val_minimal_noerror.rpl" ? "secure" : "bogus"
            #expect(step.expected.rawValue == expected, "\(file): the scenario itself expects \(step.expected)")
            #expect(result.status.name == expected, "\(file): \(result)")
            if expected == "secure" {
                #expect(result.chain.first?.zone == .root)
                #expect(result.chain.first?.keyTags == [49060])
            }
        }
    }

    @Test func unboundNSEC3ScenariosArePresent() {
        #expect(Self.unboundNSEC3.count == 18)
        #expect(Self.unboundOther == ["val_nodata_entnx.rpl", "val_nodata_failwc.rpl", "val_nx_failwc.rpl", "val_nx_uns_resp.rpl"])
    }

    /// The other validator scenarios of the Unbound corpus: NODATA at an empty non-terminal and
    /// the wildcard-expanded NSEC of CVE-2017-15105.
    static let unboundOther: [String] = ((try? VectorFiles.files(in: "unbound/testdata", prefix: "val_")) ?? [])
        .filter { !$0.hasPrefix("val_nsec3_b") }

    @Test(arguments: unboundNSEC3 + unboundOther)
    func unboundNSEC3Scenario(file: String) async throws {
        for (step, result) in try await Self.run("unbound/testdata/\(file)") {
            #expect(result.status.name == step.expected.rawValue, "\(file) \(step.question): \(result)")
        }
    }
}
