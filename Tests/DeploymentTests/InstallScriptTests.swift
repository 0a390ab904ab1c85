import BuildInfo
import Foundation
import Testing
import TestSupport

/// scripts/install into a temporary prefix and a DESTDIR stage, with the binaries this test run
/// was built with (DANEGATE_BIN_DIR), so no release build runs here.
@Suite struct InstallScriptTests {
    static let products = ["danegate", "dane", "danezone"]

    func install(_ arguments: [String], destdir: String? = nil) throws {
        var environment = ["DANEGATE_BIN_DIR": productsDirectory]
        if let destdir { environment["DESTDIR"] = destdir }
        try run(repositoryRootPath + "/scripts/install", arguments, environment: environment, timeout: 120)
            .check("scripts/install \(arguments.joined(separator: " "))")
    }

    @Test("--prefix: working binaries, a unit naming them that systemd-analyze accepts, the configuration, man pages")
    func installIntoAPrefix() throws {
        let directory = try TemporaryDirectory(prefix: "install")
        let prefix = directory.path + "/prefix"
        try install(["--prefix", prefix])

        for product in Self.products {
            let help = try run(prefix + "/bin/" + product, ["--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("USAGE: \(product)"), "\(help.stdout)")
            // Every executable reports the version of BuildInfo, the one place it is kept.
            let version = try run(prefix + "/bin/" + product, ["--version"])
            #expect(version.status == 0)
            #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == BuildInfo.version)
        }

        let unitPath = prefix + "/lib/systemd/system/danegate.service"
        let unit = try UnitFile(contentsOfFile: unitPath)
        #expect(unit.value("Service", "ExecStart") == "\(prefix)/bin/danegate --config \(prefix)/etc/danegate/danegate.conf")
        #expect(unit.value("Service", "DynamicUser") == "yes")
        // Documentation=man:danegate(1) is looked up too: the installed page must be found.
        let verify = try run(
            "systemd-analyze", ["verify", unitPath], environment: ["MANPATH": prefix + "/share/man"], package: "systemd")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.isEmpty && verify.stderr.isEmpty, "\(verify.stdout)\(verify.stderr)")

        let installedConfig = try String(contentsOfFile: prefix + "/etc/danegate/danegate.conf", encoding: .utf8)
        #expect(installedConfig == (try String(contentsOfFile: repositoryRootPath + "/conf/danegate.conf", encoding: .utf8)))
        // scripts/demo's template is no example to install.
        #expect(!FileManager.default.fileExists(atPath: prefix + "/etc/danegate/demo.conf"))

        for product in Self.products {
            let page = prefix + "/share/man/man1/\(product).1"
            // groff parses the page without a single warning (-ww: all of them).
            let groff = try run("groff", ["-man", "-Tutf8", "-ww", "-z", page], package: "groff-base")
            #expect(groff.status == 0 && groff.stderr.isEmpty, "\(product).1: \(groff.stderr)")
            // man renders it: the title, the name line, and the options of the parser.
            let rendered = try run("man", ["-l", page], environment: ["MANPAGER": "cat", "MANWIDTH": "100"], package: "man-db")
            #expect(rendered.status == 0, "\(rendered.stderr)")
            let text = withoutOverstrike(rendered.stdout)
            #expect(text.contains("\(product.uppercased())(1)"), "\(text)")
            #expect(text.contains("\(product) - "), "\(text)")
            #expect(text.contains("--help"), "\(text)")
            #expect(text.contains("\(product) \(BuildInfo.version)"), "the footer names the version: \(text)")
        }
        // The danezone page documents the subcommands' options, from the parser.
        let danezonePage = try run("man", ["-l", prefix + "/share/man/man1/danezone.1"], environment: ["MANPAGER": "cat"])
        #expect(withoutOverstrike(danezonePage.stdout).contains("--max-tcp-connections"))
    }

    @Test("DESTDIR stages a /usr install whose unit runs /usr/bin/danegate")
    func destdirStagesAUsrInstall() throws {
        let directory = try TemporaryDirectory(prefix: "install-stage")
        let stage = directory.path + "/stage"
        try install([], destdir: stage)
        for product in Self.products {
            #expect(FileManager.default.isExecutableFile(atPath: stage + "/usr/bin/" + product))
            #expect(FileManager.default.fileExists(atPath: stage + "/usr/share/man/man1/\(product).1"))
        }
        let unit = try UnitFile(contentsOfFile: stage + "/usr/lib/systemd/system/danegate.service")
        #expect(unit.value("Service", "ExecStart") == "/usr/bin/danegate --config /etc/danegate/danegate.conf")
        #expect(FileManager.default.fileExists(atPath: stage + "/etc/danegate/danegate.conf"))
    }

    @Test("installing again keeps a configuration the administrator changed")
    func existingConfigurationIsKept() throws {
        let directory = try TemporaryDirectory(prefix: "install-again")
        let prefix = directory.path + "/prefix"
        try install(["--prefix", prefix])
        let config = prefix + "/etc/danegate/danegate.conf"
        try "; ours\n".write(toFile: config, atomically: true, encoding: .utf8)
        try install(["--prefix", prefix])
        #expect(try String(contentsOfFile: config, encoding: .utf8) == "; ours\n")
    }

    /// man's plain output marks bold and underlined letters with backspaces (`X\bX`, `_\bX`).
    func withoutOverstrike(_ text: String) -> String {
        var result: [Character] = []
        for character in text {
            if character == "\u{8}" {
                if !result.isEmpty { result.removeLast() }
            } else {
                result.append(character)
            }
        }
        return String(result)
    }
}
