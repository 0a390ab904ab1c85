import Foundation
import Testing
import TestSupport

/// `dane verify` over a corpus of chains and TLSA sets, each outcome checked against the
/// expectation and against `openssl s_client -dane_tlsa_rrdata` for the same chain served by
/// `openssl s_server` (issue 6, "Done when").
@Suite struct VerifyCorpusTests {
    struct Case: CustomStringConvertible {
        let label: String
        /// Which served chain: valid, expired, future, wrongName.
        let chain: String
        let records: [String]
        let pass: Bool
        var trustStore = false
        var description: String { label }
    }

    @Test func verifyAgreesWithSClientOverTheCorpus() throws {
        let corpus = try CertificateCorpus()
        let chains = [
            "valid": try corpus.leaf("valid", name: "good.example", start: "240101000000Z", end: "351231000000Z"),
            "expired": try corpus.leaf("expired", name: "good.example", start: "200101000000Z", end: "210101000000Z"),
            "future": try corpus.leaf("future", name: "good.example", start: "400101000000Z", end: "410101000000Z"),
            "wrongName": try corpus.leaf("wrongname", name: "other.example", start: "240101000000Z", end: "351231000000Z"),
        ]
        let leaf = { (label: String) in corpus.file("\(label).pem") }
        let d = { (file: String, s: Int, m: Int) throws -> String in try corpus.data(file, selector: s, matchingType: m) }
        let wrong = String(repeating: "ab", count: 32)
        let cases: [Case] = [
            Case(label: "DANE-EE SPKI SHA-256", chain: "valid", records: ["3 1 1 \(try d(leaf("valid"), 1, 1))"], pass: true),
            Case(label: "DANE-EE expired leaf", chain: "expired", records: ["3 1 1 \(try d(leaf("expired"), 1, 1))"], pass: true),
            Case(label: "DANE-EE not-yet-valid leaf", chain: "future", records: ["3 1 1 \(try d(leaf("future"), 1, 1))"], pass: true),
            Case(label: "DANE-EE full certificate", chain: "valid", records: ["3 0 0 \(try d(leaf("valid"), 0, 0))"], pass: true),
            Case(label: "DANE-EE SHA-512", chain: "valid", records: ["3 1 2 \(try d(leaf("valid"), 1, 2))"], pass: true),
            Case(label: "DANE-EE cert SHA-256", chain: "valid", records: ["3 0 1 \(try d(leaf("valid"), 0, 1))"], pass: true),
            Case(label: "DANE-EE wrong digest", chain: "valid", records: ["3 1 1 \(wrong)"], pass: false),
            Case(label: "DANE-TA intermediate", chain: "valid", records: ["2 0 1 \(try d(corpus.intermediate, 0, 1))"], pass: true),
            Case(label: "DANE-TA intermediate SPKI full", chain: "valid", records: ["2 1 0 \(try d(corpus.intermediate, 1, 0))"], pass: true),
            Case(label: "DANE-TA wrong name", chain: "wrongName", records: ["2 0 1 \(try d(corpus.intermediate, 0, 1))"], pass: false),
            Case(label: "DANE-TA expired leaf", chain: "expired", records: ["2 1 1 \(try d(corpus.intermediate, 1, 1))"], pass: false),
            Case(label: "mixed, TA matches", chain: "valid", records: ["3 1 1 \(wrong)", "2 0 1 \(try d(corpus.intermediate, 0, 1))"], pass: true),
            Case(label: "mixed, none matches", chain: "valid", records: ["3 1 1 \(wrong)", "2 1 1 \(wrong)"], pass: false),
            Case(label: "mixed, EE matches wrong-name leaf", chain: "wrongName", records: ["2 1 1 \(wrong)", "3 1 1 \(try d(leaf("wrongname"), 1, 1))"], pass: true),
            Case(label: "PKIX-TA root with trust store", chain: "valid", records: ["0 0 1 \(try d(corpus.root, 0, 1))"], pass: true, trustStore: true),
            Case(label: "PKIX-TA root without trust store", chain: "valid", records: ["0 0 1 \(try d(corpus.root, 0, 1))"], pass: false),
            Case(label: "PKIX-EE with trust store", chain: "valid", records: ["1 1 1 \(try d(leaf("valid"), 1, 1))"], pass: true, trustStore: true),
            Case(label: "PKIX-EE without trust store", chain: "valid", records: ["1 1 1 \(try d(leaf("valid"), 1, 1))"], pass: false),
            Case(label: "PKIX-EE expired with trust store", chain: "expired", records: ["1 1 1 \(try d(leaf("expired"), 1, 1))"], pass: false, trustStore: true),
        ]

        var servers: [String: OpenSSLServer] = [:]
        for (label, file) in [("valid", "valid"), ("expired", "expired"), ("future", "future"), ("wrongName", "wrongname")] {
            servers[label] = try OpenSSLServer([
                "-cert", corpus.file("\(file).pem"), "-key", corpus.file("\(file).key"),
                "-cert_chain", corpus.intermediate,
            ])
        }
        let dane = try builtProduct("dane")
        for testCase in cases {
            let chainFile = try #require(chains[testCase.chain])
            var arguments = ["verify", "--cert", chainFile, "--name", "good.example", "--json"]
            for record in testCase.records { arguments += ["--tlsa", record] }
            if testCase.trustStore { arguments += ["--trust-store", corpus.root] }
            let ours = try run(dane, arguments)
            let object = try JSONSerialization.jsonObject(with: ours.stdoutData) as? [String: Any]
            let verdict = object?["verdict"] as? String
            #expect(verdict == (testCase.pass ? "pass" : "fail"), "\(testCase): \(ours.stdout) \(ours.stderr)")
            #expect(ours.status == (testCase.pass ? 0 : 1), "\(testCase): exit \(ours.status)")

            let server = try #require(servers[testCase.chain])
            var clientArguments = [
                "s_client", "-connect", "127.0.0.1:\(server.port)", "-dane_tlsa_domain", "good.example",
                "-dane_ee_no_namechecks", "-verify_return_error", "-brief",
            ]
            for record in testCase.records { clientArguments += ["-dane_tlsa_rrdata", record] }
            if testCase.trustStore { clientArguments += ["-CAfile", corpus.root] }
            let client = try run("openssl", clientArguments, input: Data(), package: "openssl")
            let clientPass = client.status == 0 && (client.stdout + client.stderr).contains("Verification: OK")
            #expect(clientPass == testCase.pass, "s_client disagrees on \(testCase): \(client.stderr)")
        }
    }

    @Test func unusableRecordsAloneExitTwo() throws {
        let corpus = try CertificateCorpus()
        let chain = try corpus.leaf("valid", name: "good.example", start: "240101000000Z", end: "351231000000Z")
        let result = try run(try builtProduct("dane"), [
            "verify", "--cert", chain, "--name", "good.example", "--json",
            "--tlsa", "4 1 1 \(String(repeating: "00", count: 32))", "--tlsa", "3 7 1 \(String(repeating: "00", count: 32))",
        ])
        #expect(result.status == 2, "\(result.stdout)")
        #expect(result.stdout.contains("\"tlsa-unusable\""))
    }

    @Test func recordsOpenSSLRefusesAreUnusable() throws {
        // A Full(0) exact record that is no certificate passes our filter, but OpenSSL's
        // SSL_dane_tlsa_add refuses it; with nothing else, DANE is off: tlsa-unusable (rule 9).
        let corpus = try CertificateCorpus()
        let chain = try corpus.leaf("valid", name: "good.example", start: "240101000000Z", end: "351231000000Z")
        let result = try run(try builtProduct("dane"), ["verify", "--cert", chain, "--json", "--tlsa", "3 0 0 0102030405"])
        #expect(result.status == 2, "\(result.stdout)")
        let object = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any]
        #expect(object?["reason"] as? String == "tlsa-unusable")
        #expect((object?["records"] as? [[String: Any]])?.first?["result"] as? String == "unusable")
    }

    @Test func usageErrorsExitSixtyFour() throws {
        let dane = try builtProduct("dane")
        #expect(try run(dane, ["verify", "--cert", "/nonexistent"]).status == 64)
        #expect(try run(dane, ["gen", "--cert", "x", "--selector", "9"]).status == 64)
        #expect(try run(dane, ["probe", "tls", "example.com"]).status == 64)
        #expect(try run(dane, ["frobnicate"]).status == 64)
        #expect(try run(dane, ["probe", "https", "example.com", "--mx"]).status == 64)
        #expect(try run(dane, ["probe", "smtp", "example.com", "--connect", "nowhere"]).status == 64)
        #expect(try run(dane, ["verify", "--cert", "x", "--tlsa", "3 1 1 00", "--port", "443", "example.com"]).status == 64)
    }
}
