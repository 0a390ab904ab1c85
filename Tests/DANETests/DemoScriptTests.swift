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
        _ = try requireProgram("openssl", package: "openssl")
        _ = try requireProgram("python3", package: "python3")
        let result = try Self.runDemo(bin: try Self.productsFolder())
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        for check in [
            "dane probe www.example. exits 0", "dane probe rogue.example. exits 1",
            "dane probe rogue.example. says dane-no-match", "www.example. received the client's line",
            "rogue.example. received nothing",
        ] {
            #expect(result.stdout.contains("check passed: \(check)"), "\(check)\n\(result.stdout)")
        }
        #expect(result.stdout.contains("demo: every check passed"))
    }

    /// The demo's checks can fail: with a `dane` that reports success whatever happened, the
    /// rogue's probe exits 0, and the demo says so and exits 1.
    @Test func demoFailsWhenACheckFails() throws {
        let folder = try TemporaryDirectory(prefix: "danegate-demo-bin")
        let products = try Self.productsFolder()
        for name in ["danegate", "danezone"] {
            try FileManager.default.createSymbolicLink(atPath: folder.file(name), withDestinationPath: products + "/" + name)
        }
        let dane = try folder.write("dane", "#!/bin/sh\n'\(products)/dane' \"$@\"\nexit 0\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dane)
        let result = try Self.runDemo(bin: folder.path)
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("CHECK FAILED: dane probe rogue.example. exits 1"), "\(result.stdout)")
        #expect(result.stdout.contains("demo: 1 check(s) failed"), "\(result.stdout)")
    }

    /// The folder of the built danegate, danezone and dane.
    static func productsFolder() throws -> String {
        for name in ["danegate", "danezone", "dane"] { _ = try builtProduct(name) }
        return productsDirectory
    }
}
