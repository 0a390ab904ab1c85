import Foundation
import Testing
import TestSupport

@Suite struct TestSupportSmokeTests {
    @Test func missingProgramNamesPackage() {
        #expect(throws: TestSupportError.self) {
            try requireProgram("no-such-program-danegate", package: "no-such-package")
        }
        do {
            try requireProgram("no-such-program-danegate", package: "no-such-package")
        } catch {
            #expect("\(error)".contains("no-such-package"))
        }
    }

    @Test func runCapturesOutputAndStatus() throws {
        let result = try shell("echo hello; echo oops >&2; exit 3")
        #expect(result.status == 3)
        #expect(result.stdout == "hello\n")
        #expect(result.stderr == "oops\n")
        let piped = try run("cat", [], input: Data("abc".utf8))
        #expect(piped.stdout == "abc")
    }

    @Test func peerProcessWaitsForLineAndKills() throws {
        let peer = try PeerProcess("/bin/sh", ["-c", "echo ready 42; exec sleep 600"])
        let groups = try peer.waitForMatch(#"ready (\d+)"#)
        #expect(groups.count == 2 && groups[1] == "42")
        peer.kill()
        #expect(!peer.isRunning)
    }

    @Test func pathsAndTemporaryDirectory() throws {
        #expect(FileManager.default.fileExists(atPath: repositoryRootPath + "/Package.swift"))
        #expect(FileManager.default.fileExists(atPath: vectorsDirectory + "/README.md"))
        var path = ""
        do {
            let folder = try TemporaryDirectory()
            path = folder.path
            try folder.write("a.txt", "x")
            #expect(FileManager.default.fileExists(atPath: folder.file("a.txt")))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try freeLoopbackPort() > 0)
    }
}
