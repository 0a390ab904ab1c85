import Foundation

/// The folder holding Package.swift, found by walking up from `filePath` (a source file
/// inside the repository; the default is this file).
public func repositoryRoot(from filePath: String = #filePath) -> String {
    var folder = URL(fileURLWithPath: filePath).resolvingSymlinksInPath().deletingLastPathComponent()
    while folder.path != "/" {
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            return folder.path
        }
        folder = folder.deletingLastPathComponent()
    }
    // Not inside a package: fall back to the working directory, where `swift test` runs.
    return FileManager.default.currentDirectoryPath
}

/// The repository root (the folder with Package.swift).
public let repositoryRootPath: String = repositoryRoot()

/// The test vectors borrowed from other projects (RFC examples, Unbound's and Deckard's DNSSEC
/// corpora): `Tests/Vectors` inside this repository. Tests/Vectors/README.md gives each file's
/// origin and licence.
public let vectorsDirectory: String = repositoryRootPath + "/Tests/Vectors"

/// The path of a file under Tests/Vectors, e.g. `vectorPath("rfc-derived/ds-examples.json")`.
public func vectorPath(_ relativePath: String) -> String {
    vectorsDirectory + "/" + relativePath
}

/// The folder of the built executables (`danegate`, `dane`, ...): the folder of the test runner
/// itself, which SwiftPM builds next to them.
public let productsDirectory: String = {
    var folder = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").standardizedFileURL
        .deletingLastPathComponent()
    // On macOS the runner sits inside a .xctest bundle: climb out of it.
    while folder.path.contains(".xctest") && folder.path != "/" {
        folder = folder.deletingLastPathComponent()
    }
    return folder.path
}()

/// The path of a built executable, or an error saying it was not built.
public func builtProduct(_ name: String) throws -> String {
    let candidate = productsDirectory + "/" + name
    guard FileManager.default.isExecutableFile(atPath: candidate) else {
        throw TestSupportError(.notFound, "built product '\(name)' not found in \(productsDirectory); run swift build first")
    }
    return candidate
}
