import Foundation
import TestSupport
import Testing

/// The library products stay usable from outside: a package in a temporary folder depends on
/// this repository by path, imports DNSWire, DNSSEC, Resolver, DANE, Cryptography and
/// EventLoop, calls each one's main entry point (Tests/ClientPackage/Sources/LibraryClient),
/// and is built with `swift build` and run. A symbol that loses its `public`, a product that
/// disappears or a dependency that only this package's own targets can see fails here.
@Suite struct ClientPackageTests {
    @Test func clientPackageBuildsAndRunsAgainstTheProducts() throws {
        guard let swift = findProgram("swift") else {
            throw TestSupportError(
                .programMissing, "program 'swift' not found on PATH; the Swift toolchain is expected at /opt/swift")
        }
        let folder = try TemporaryDirectory(prefix: "danegate-client")
        try FileManager.default.copyItem(
            atPath: repositoryRootPath + "/Tests/ClientPackage/Sources", toPath: folder.file("Sources"))
        try folder.write("Package.swift", Self.manifest(dependingOn: repositoryRootPath))

        let started = Date()
        // Its own scratch folder inside the temporary one: the build of this package under
        // test is not disturbed, and nothing is left behind.
        let buildLog = folder.file("build.log")
        let buildStatus = try spawnToFile(
            swift, ["build", "--package-path", folder.path, "--scratch-path", folder.file(".build")],
            logPath: buildLog, timeout: 1800)
        let built = Date().timeIntervalSince(started)
        print("client package built in \(Int(built)) s")
        try #require(
            buildStatus == 0,
            "swift build of the client package exited \(buildStatus): \((try? String(contentsOfFile: buildLog, encoding: .utf8)) ?? "")"
        )

        let runLog = folder.file("run.log")
        let status = try spawnToFile(folder.file(".build/debug/LibraryClient"), [], logPath: runLog, timeout: 60)
        let output = try String(contentsOfFile: runLog, encoding: .utf8)
        #expect(status == 0, "client exited \(status): \(output)")
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.contains("DNSWire question: www.example."))
        #expect(lines.contains("DNSSEC _443._tcp.www.example. TLSA: secure, 1 record(s)"))
        #expect(lines.contains("DANE usable: 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"))
        // The plan found a secure TLSA and a secure address; only the dial failed.
        #expect(lines.contains("DANE connect: upstream-unreachable"))
        #expect(lines.contains("Resolver: indeterminate"))
        #expect(lines.last == "OK")
    }

    /// A manifest as another project would write it: the products by name, from the package at
    /// `path`. SwiftPM names a path dependency by its folder ("danegate" in a plain clone, the
    /// worktree's name elsewhere), so `package:` follows the folder.
    static func manifest(dependingOn path: String) -> String {
        let identity = URL(fileURLWithPath: path).lastPathComponent.lowercased()
        return """
            // swift-tools-version: 6.0
            import PackageDescription

            let package = Package(
                name: "LibraryClient",
                platforms: [.macOS(.v14)],
                dependencies: [.package(path: "\(path)")],
                targets: [
                    .executableTarget(
                        name: "LibraryClient",
                        dependencies: [
                            .product(name: "DNSWire", package: "\(identity)"),
                            .product(name: "DNSSEC", package: "\(identity)"),
                            .product(name: "Resolver", package: "\(identity)"),
                            .product(name: "DANE", package: "\(identity)"),
                            .product(name: "Cryptography", package: "\(identity)"),
                            .product(name: "EventLoop", package: "\(identity)"),
                        ])
                ]
            )
            """
    }
}
