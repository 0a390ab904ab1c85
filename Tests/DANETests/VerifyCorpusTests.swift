import Foundation
import Testing
import TestSupport

/// `dane verify` over a corpus of chains and TLSA sets, each outcome checked against the
/// expectation and against `openssl s_client -dane_tlsa_rrdata` for the same chain served by
/// `openssl s_server`, both with DANE-EE name checks (`--dane-ee-namechecks`, OpenSSL's default)
/// and without (`-dane_ee_no_namechecks`, our default): the verdict, OpenSSL's verify error and
/// the depth (of the match when it passed, of the failing certificate when it failed) are equal
/// in every case but the partial wildcard, where we refuse on purpose (see `Case`; issues 6 and
/// 12, "Done when").
@Suite struct VerifyCorpusTests {
    struct Case: CustomStringConvertible {
        let label: String
        /// Which served chain (a key of `chains` below).
        let chain: String
        let records: [String]
        /// The verdict without DANE-EE name checks, and with them (nil: the same).
        let pass: Bool
        var passWithEENames: Bool? = nil
        /// A PEM file of PKIX trust anchors for usages 0 and 1.
        var trustStore: String? = nil
        /// The TLSA base domain (`--name`, `-dane_tlsa_domain`).
        var name = "good.example"
        /// The one deliberate difference from s_client: like the TLS engine of the gateway, we
        /// set X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS (as the SSL_dane_enable(3) example and Postfix
        /// do), which s_client has no option for. Where a partial wildcard ("w*.wild.example")
        /// decides, s_client passes and we refuse with a name mismatch.
        var partialWildcardDecides = false
        var description: String { label }
    }

    /// What `openssl s_client -brief -verify_return_error` said: its verdict, and the verify
    /// error and the depth it printed (`depth=N` then `verify error:num=E`), or on success the
    /// matched record's usage and depth (`DANE TLSA U S M ... at depth N`).
    struct SClientVerdict {
        let pass: Bool
        let verifyError: Int?
        let depth: Int?
        let usage: Int?

        init(_ result: CommandResult) {
            let text = result.stdout + "\n" + result.stderr
            pass = result.status == 0 && text.contains("Verification: OK")
            func firstInt(_ pattern: String, group: Int = 1) -> Int? {
                guard let expression = try? NSRegularExpression(pattern: pattern),
                    let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                    let range = Range(match.range(at: group), in: text)
                else { return nil }
                return Int(text[range])
            }
            if pass {
                verifyError = 0
                depth = firstInt(#"DANE TLSA \d \d \d .* at depth (\d+)"#)
                usage = firstInt(#"DANE TLSA (\d) \d \d "#)
            } else {
                verifyError = firstInt(#"verify error:num=(\d+):"#)
                depth = firstInt(#"(?m)^depth=(\d+) "#)
                usage = nil
            }
        }

        /// Our reason for OpenSSL's verify error.
        var reason: String? {
            switch verifyError {
            case 0: return nil
            case 62: return "dane-name-mismatch"
            case 65: return "dane-no-match"
            default: return "tls-handshake-failed"
            }
        }
    }

    @Test func verifyAgreesWithSClientOverTheCorpus() throws {
        let corpus = try CertificateCorpus()
        try corpus.makeCrossSignedHierarchy()
        let valid = ("240101000000Z", "351231000000Z")
        // label: (file label, the name the leaf carries)
        let leaves: [String: (file: String, name: String)] = [
            "valid": ("valid", "good.example"), "expired": ("expired", "good.example"), "future": ("future", "good.example"),
            "wrongName": ("wrongname", "other.example"), "wildcard": ("wildcard", "*.wild.example"),
            "partialWildcard": ("partialwildcard", "w*.wild.example"), "cross": ("cross", "good.example"),
        ]
        var chains: [String: String] = [:]
        for (label, leaf) in leaves {
            let dates = label == "expired" ? ("200101000000Z", "210101000000Z") : label == "future" ? ("400101000000Z", "410101000000Z") : valid
            chains[label] = try corpus.leaf(
                leaf.file, name: leaf.name, start: dates.0, end: dates.1, issuer: label == "cross" ? "intermediate2" : "intermediate")
        }
        let leaf = { (label: String) in corpus.file("\(label).pem") }
        let d = { (file: String, s: Int, m: Int) throws -> String in try corpus.data(file, selector: s, matchingType: m) }
        let wrong = String(repeating: "ab", count: 32)
        let cases: [Case] = [
            Case(label: "DANE-EE SPKI SHA-256", chain: "valid", records: ["3 1 1 \(try d(leaf("valid"), 1, 1))"], pass: true),
            Case(label: "DANE-EE expired leaf", chain: "expired", records: ["3 1 1 \(try d(leaf("expired"), 1, 1))"], pass: true),
            Case(label: "DANE-EE not-yet-valid leaf", chain: "future", records: ["3 1 1 \(try d(leaf("future"), 1, 1))"], pass: true),
            Case(label: "DANE-EE full certificate", chain: "valid", records: ["3 0 0 \(try d(leaf("valid"), 0, 0))"], pass: true),
            Case(label: "DANE-EE full SPKI", chain: "valid", records: ["3 1 0 \(try d(leaf("valid"), 1, 0))"], pass: true),
            Case(label: "DANE-EE SHA-512", chain: "valid", records: ["3 1 2 \(try d(leaf("valid"), 1, 2))"], pass: true),
            Case(label: "DANE-EE cert SHA-256", chain: "valid", records: ["3 0 1 \(try d(leaf("valid"), 0, 1))"], pass: true),
            Case(label: "DANE-EE wrong digest", chain: "valid", records: ["3 1 1 \(wrong)"], pass: false),
            Case(label: "DANE-EE wrong-name leaf", chain: "wrongName", records: ["3 1 1 \(try d(leaf("wrongname"), 1, 1))"],
                 pass: true, passWithEENames: false),
            Case(label: "DANE-EE wildcard leaf", chain: "wildcard", records: ["3 1 1 \(try d(leaf("wildcard"), 1, 1))"], pass: true,
                 name: "www.wild.example"),
            Case(label: "DANE-EE partial-wildcard leaf", chain: "partialWildcard",
                 records: ["3 1 1 \(try d(leaf("partialwildcard"), 1, 1))"], pass: true, passWithEENames: false,
                 name: "www.wild.example", partialWildcardDecides: true),
            Case(label: "DANE-TA intermediate", chain: "valid", records: ["2 0 1 \(try d(corpus.intermediate, 0, 1))"], pass: true),
            Case(label: "DANE-TA intermediate SPKI full", chain: "valid", records: ["2 1 0 \(try d(corpus.intermediate, 1, 0))"], pass: true),
            Case(label: "DANE-TA intermediate full certificate", chain: "valid", records: ["2 0 0 \(try d(corpus.intermediate, 0, 0))"], pass: true),
            Case(label: "DANE-TA wrong name", chain: "wrongName", records: ["2 0 1 \(try d(corpus.intermediate, 0, 1))"], pass: false),
            Case(label: "DANE-TA full certificate, wrong name", chain: "wrongName",
                 records: ["2 0 0 \(try d(corpus.intermediate, 0, 0))"], pass: false),
            Case(label: "DANE-TA wildcard leaf", chain: "wildcard", records: ["2 0 1 \(try d(corpus.intermediate, 0, 1))"], pass: true,
                 name: "www.wild.example"),
            Case(label: "DANE-TA wildcard leaf, name two labels down", chain: "wildcard",
                 records: ["2 0 1 \(try d(corpus.intermediate, 0, 1))"], pass: false, name: "a.www.wild.example"),
            Case(label: "DANE-TA partial-wildcard leaf", chain: "partialWildcard",
                 records: ["2 0 1 \(try d(corpus.intermediate, 0, 1))"], pass: false, name: "www.wild.example",
                 partialWildcardDecides: true),
            Case(label: "DANE-TA expired leaf", chain: "expired", records: ["2 1 1 \(try d(corpus.intermediate, 1, 1))"], pass: false),
            Case(label: "DANE-TA cross-signed root in the chain", chain: "cross", records: ["2 0 1 \(try d(corpus.root2Cross, 0, 1))"], pass: true),
            Case(label: "DANE-TA cross-signed root's key", chain: "cross", records: ["2 1 1 \(try d(corpus.root2, 1, 1))"], pass: true),
            Case(label: "DANE-TA self-signed root not sent, digest", chain: "cross", records: ["2 0 1 \(try d(corpus.root2, 0, 1))"], pass: false),
            Case(label: "DANE-TA self-signed root not sent, full certificate", chain: "cross",
                 records: ["2 0 0 \(try d(corpus.root2, 0, 0))"], pass: true),
            Case(label: "DANE-TA cross-signing root not sent, digest", chain: "cross", records: ["2 0 1 \(try d(corpus.root, 0, 1))"], pass: false),
            Case(label: "DANE-TA cross-signing root not sent, full certificate", chain: "cross",
                 records: ["2 0 0 \(try d(corpus.root, 0, 0))"], pass: true),
            Case(label: "DANE-TA cross-signing root not sent, full SPKI", chain: "cross",
                 records: ["2 1 0 \(try d(corpus.root, 1, 0))"], pass: true),
            Case(label: "mixed, TA matches", chain: "valid", records: ["3 1 1 \(wrong)", "2 0 1 \(try d(corpus.intermediate, 0, 1))"], pass: true),
            Case(label: "mixed, none matches", chain: "valid", records: ["3 1 1 \(wrong)", "2 1 1 \(wrong)"], pass: false),
            Case(label: "mixed, EE matches wrong-name leaf", chain: "wrongName",
                 records: ["2 1 1 \(wrong)", "3 1 1 \(try d(leaf("wrongname"), 1, 1))"], pass: true, passWithEENames: false),
            Case(label: "PKIX-TA root with trust store", chain: "valid", records: ["0 0 1 \(try d(corpus.root, 0, 1))"], pass: true,
                 trustStore: corpus.root),
            Case(label: "PKIX-TA root without trust store", chain: "valid", records: ["0 0 1 \(try d(corpus.root, 0, 1))"], pass: false),
            Case(label: "PKIX-TA cross-signed root, first root trusted", chain: "cross",
                 records: ["0 0 1 \(try d(corpus.root2Cross, 0, 1))"], pass: true, trustStore: corpus.root),
            Case(label: "PKIX-TA wrong name with trust store", chain: "wrongName", records: ["0 0 1 \(try d(corpus.root, 0, 1))"],
                 pass: false, trustStore: corpus.root),
            Case(label: "PKIX-EE with trust store", chain: "valid", records: ["1 1 1 \(try d(leaf("valid"), 1, 1))"], pass: true,
                 trustStore: corpus.root),
            Case(label: "PKIX-EE without trust store", chain: "valid", records: ["1 1 1 \(try d(leaf("valid"), 1, 1))"], pass: false),
            Case(label: "PKIX-EE expired with trust store", chain: "expired", records: ["1 1 1 \(try d(leaf("expired"), 1, 1))"],
                 pass: false, trustStore: corpus.root),
        ]
        #expect(cases.count == 37)

        var servers: [String: OpenSSLServer] = [:]
        for (label, leaf) in leaves {
            servers[label] = try OpenSSLServer([
                "-cert", corpus.file("\(leaf.file).pem"), "-key", corpus.file("\(leaf.file).key"),
                "-cert_chain", corpus.file("\(leaf.file)-extra.pem"),
            ])
        }
        let dane = try builtProduct("dane")
        func sClient(_ testCase: Case, domain: String, eeNames: Bool) throws -> SClientVerdict {
            let server = try #require(servers[testCase.chain])
            var arguments = [
                "s_client", "-connect", "127.0.0.1:\(server.port)", "-dane_tlsa_domain", domain, "-verify_return_error", "-brief",
            ]
            if !eeNames { arguments.append("-dane_ee_no_namechecks") }
            for record in testCase.records { arguments += ["-dane_tlsa_rrdata", record] }
            if let store = testCase.trustStore { arguments += ["-CAfile", store] }
            return SClientVerdict(try run("openssl", arguments, input: Data(), package: "openssl"))
        }
        var compared = 0
        for testCase in cases {
            for eeNames in [false, true] {
                let what = "\(testCase) (\(eeNames ? "with" : "without") DANE-EE name checks)"
                let chainFile = try #require(chains[testCase.chain])
                var arguments = ["verify", "--cert", chainFile, "--name", testCase.name, "--json"]
                if eeNames { arguments.append("--dane-ee-namechecks") }
                for record in testCase.records { arguments += ["--tlsa", record] }
                if let store = testCase.trustStore { arguments += ["--trust-store", store] }
                let ours = try run(dane, arguments)
                let object = try #require(try JSONSerialization.jsonObject(with: ours.stdoutData) as? [String: Any], "\(what): \(ours.stderr)")
                let pass = eeNames ? testCase.passWithEENames ?? testCase.pass : testCase.pass
                #expect(object["verdict"] as? String == (pass ? "pass" : "fail"), "\(what): \(ours.stdout)")
                #expect(ours.status == (pass ? 0 : 1), "\(what): exit \(ours.status)")

                let client = try sClient(testCase, domain: testCase.name, eeNames: eeNames)
                if testCase.partialWildcardDecides && !pass {
                    #expect(client.pass, "s_client now refuses partial wildcards too: \(what)")
                    #expect(object["reason"] as? String == "dane-name-mismatch" && object["verifyError"] as? Int == 62, "\(what)")
                    #expect(object["errorDepth"] as? Int == 0, "\(what)")
                    compared += 1
                    continue
                }
                #expect(client.pass == pass, "s_client disagrees with the expectation on \(what)")
                #expect(object["reason"] as? String == client.reason, "\(what): reason")
                #expect(object["verifyError"] as? Int == client.verifyError, "\(what): verify error")
                if client.pass {
                    #expect(object["depth"] as? Int == client.depth, "\(what): match depth")
                    #expect(object["usage"] as? Int == client.usage, "\(what): usage")
                    #expect(object["errorDepth"] is NSNull, "\(what)")
                } else {
                    #expect(object["errorDepth"] as? Int == client.depth, "\(what): depth of the failure")
                }
                // A name mismatch after a match: the JSON keeps the match. s_client shows it only
                // when the name is right, so ask it with the name the leaf carries.
                if client.verifyError == 62, let ownName = leaves[testCase.chain]?.name, !ownName.contains("*") {
                    let right = try sClient(testCase, domain: ownName, eeNames: eeNames)
                    #expect(right.pass, "\(what): s_client with \(ownName)")
                    #expect(object["depth"] as? Int == right.depth, "\(what): match depth kept on the name mismatch")
                    #expect(object["usage"] as? Int == right.usage, "\(what): usage kept on the name mismatch")
                }
                compared += 1
            }
        }
        #expect(compared == 74)
    }

    /// With --no-namechecks no name is checked, not even for DANE-TA; a matched record stays in
    /// the JSON when a later check fails.
    @Test func noNamechecksAndTheMatchOnFailure() throws {
        let corpus = try CertificateCorpus()
        let chain = try corpus.leaf("wrongname", name: "other.example", start: "240101000000Z", end: "351231000000Z")
        let ta = "2 0 1 \(try corpus.data(corpus.intermediate, selector: 0, matchingType: 1))"
        let dane = try builtProduct("dane")
        let mismatch = try run(dane, ["verify", "--cert", chain, "--name", "good.example", "--json", "--tlsa", ta])
        let failed = try #require(try JSONSerialization.jsonObject(with: mismatch.stdoutData) as? [String: Any])
        #expect(mismatch.status == 1)
        #expect(failed["reason"] as? String == "dane-name-mismatch")
        #expect(failed["depth"] as? Int == 1 && failed["usage"] as? Int == 2, "\(mismatch.stdout)")
        #expect(failed["verifyError"] as? Int == 62 && failed["verifyErrorText"] as? String == "hostname mismatch")

        let unchecked = try run(dane, ["verify", "--cert", chain, "--name", "good.example", "--json", "--tlsa", ta, "--no-namechecks"])
        let passed = try #require(try JSONSerialization.jsonObject(with: unchecked.stdoutData) as? [String: Any])
        #expect(unchecked.status == 0, "\(unchecked.stdout)")
        #expect(passed["depth"] as? Int == 1)
        // An extra reference name (RFC 7672 §3.2.3) the leaf carries is enough for DANE-TA.
        let other = try run(dane, ["verify", "--cert", chain, "--name", "good.example", "--reference-name", "other.example", "--tlsa", ta])
        #expect(other.status == 0, "\(other.stdout)")

        let help = try run(dane, ["verify", "--help"])
        #expect(help.stdout.contains("--no-namechecks") && help.stdout.contains("Check no names at all"))
        #expect(help.stdout.contains("--dane-ee-namechecks"))
        #expect(try run(dane, ["verify", "--cert", chain, "--tlsa", ta, "--dane-ee-namechecks", "--no-namechecks", "--name", "x"]).status == 64)
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
