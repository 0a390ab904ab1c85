import Foundation
import TestSupport
import Testing

/// scripts/demo, run as a child process on the products this test run built (DEMO_BIN: no
/// scripts/setup, no `swift build` that would race the test run for the build folder). The demo
/// checks its own results and exits 1 when one fails.
@Suite(.serialized) struct DemoScriptTests {
    static func runDemo(bin: String) throws -> CommandResult {
        // `timeout` sends SIGTERM first, on which the demo's EXIT trap stops its children.
        try run(
            "timeout", ["-k", "5", "150", repositoryRootPath + "/scripts/demo"],
            environment: ["DEMO_BIN": bin], package: "coreutils", timeout: 170)
    }

    @Test func demoPassesEveryCheck() throws {
        for (program, package) in [
            ("openssl", "openssl"), ("python3", "python3"), ("curl", "curl"), ("swaks", "swaks"),
        ] {
            _ = try requireProgram(program, package: package)
        }
        let result = try Self.runDemo(bin: try Self.productsFolder())
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        for check in [
            "dane lookup finds www.example's TLSA record, DNSSEC secure",
            "curl through [web] gets 200 and www.example's page",
            "swaks through [mail] delivers (exit 0)", "mail.example received the message inside TLS",
            "the IRC client registered and joined #dane through [irc]",
            "irc.example received the client's message inside TLS",
            "curl through [rogue] gets 502 with dane-no-match", "the impostor received no request",
            "the audit log has 4 records", "audit: [web] verified, DNSSEC secure",
            "audit: [mail] verified, DNSSEC secure",
            "audit: [irc] verified, DNSSEC secure", "audit: [rogue] refused, dane-no-match",
        ] {
            #expect(result.stdout.contains("check passed: \(check)"), "\(check)\n\(result.stdout)")
        }
        // What the user sees: the gateway's summary of its audit log, and either the metrics or
        // why they are missing.
        #expect(result.stdout.contains("== danegate audit audit.log"))
        #expect(result.stdout.contains("4 records in 4 groups"), "\(result.stdout)")
        #expect(
            result.stdout.contains("check passed: metrics: one refused connection for [rogue], dane-no-match")
                || result.stdout.contains("== metrics: skipped"), "\(result.stdout)")
        #expect(result.stdout.contains("demo: every check passed"))
        try Self.expectNothingLeft(result)
    }

    /// The demo's checks can fail: with a danegate that never refuses (every service of the
    /// configuration it is given gets `dane = audit`), the impostor's page reaches curl, and the
    /// demo says so and exits 1.
    @Test func demoFailsWhenACheckFails() throws {
        let folder = try TemporaryDirectory(prefix: "danegate-demo-bin")
        let products = try Self.productsFolder()
        for name in ["dane", "danezone"] {
            try FileManager.default.createSymbolicLink(
                atPath: folder.file(name), withDestinationPath: products + "/" + name)
        }
        let danegate = try folder.write(
            "danegate",
            """
            #!/bin/sh
            if [ "$1" = --config ]; then
              sed '/^\\[/a dane = audit' "$2" > "$2.audit" && exec '\(products)/danegate' --config "$2.audit"
            fi
            exec '\(products)/danegate' "$@"

            """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: danegate)
        let result = try Self.runDemo(bin: folder.path)
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("check passed: curl through [web] gets 200"), "\(result.stdout)")
        #expect(
            result.stdout.contains("CHECK FAILED: curl through [rogue] gets 502 with dane-no-match"), "\(result.stdout)"
        )
        #expect(result.stdout.contains("CHECK FAILED: the impostor received no request"), "\(result.stdout)")
        #expect(result.stdout.contains("check(s) failed"), "\(result.stdout)")
        #expect(!result.stdout.contains("demo: every check passed"))
        try Self.expectNothingLeft(result)
    }

    /// The demo stopped what it started and removed its folder. Every child it starts runs in that
    /// folder or one below it, so one still alive shows it as its working folder, "(deleted)"
    /// (one that kept the demo's output pipe open has already made `run` time out).
    static func expectNothingLeft(_ result: CommandResult) throws {
        let prefix = "trust-anchor = /tmp/danegate-demo."
        guard let start = result.stdout.range(of: prefix),
            let end = result.stdout[start.upperBound...].firstIndex(of: "/")
        else {
            Issue.record("the demo's output names no work folder:\n\(result.stdout)")
            return
        }
        let work = String(result.stdout[result.stdout.index(start.lowerBound, offsetBy: 15)..<end])
        #expect(!FileManager.default.fileExists(atPath: work), "\(work) is still there")
        let processes = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter {
            $0.allSatisfy(\.isNumber)
        }
        let left = processes.filter { pid in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/cwd"))?.hasPrefix(work) ?? false
        }
        #expect(left.isEmpty, "processes still in \(work): \(left)")
    }

    /// The folder of the built danegate, danezone and dane.
    static func productsFolder() throws -> String {
        for name in ["danegate", "danezone", "dane"] { _ = try builtProduct(name) }
        return productsDirectory
    }
}
