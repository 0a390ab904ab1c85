import Foundation
import Testing
import TestSupport

/// conf/danegate.service: the hardening issue 13 asks for, and `systemd-analyze verify` finds
/// nothing to say about it (it loads the unit offline; no service is started).
@Suite struct SystemdUnitTests {
    let unitPath = repositoryRootPath + "/conf/danegate.service"

    @Test("the unit is Type=notify, hardened, reloads with SIGHUP and holds no capability")
    func unitIsHardened() throws {
        let unit = try UnitFile(contentsOfFile: unitPath)
        let expected: [String: String] = [
            "Type": "notify",
            "DynamicUser": "yes",
            "ProtectSystem": "strict",
            "PrivateTmp": "yes",
            "NoNewPrivileges": "yes",
            "SystemCallFilter": "@system-service",
            // systemd 252 has no Type=notify-reload: the reload is our SIGHUP.
            "ExecReload": "/bin/kill -HUP $MAINPID",
            "ExecStart": "/usr/bin/danegate --config /etc/danegate/danegate.conf",
        ]
        for (key, value) in expected {
            #expect(unit.value("Service", key) == value, "\(key)")
        }
        let families = Set((unit.value("Service", "RestrictAddressFamilies") ?? "").split(separator: " ").map(String.init))
        #expect(families == ["AF_INET", "AF_INET6", "AF_UNIX"])
        // Empty: no capabilities at all. Binding a port below 1024 is a commented-out choice.
        #expect(unit.values("Service", "CapabilityBoundingSet") == [""])
        #expect(unit.values("Service", "AmbientCapabilities").isEmpty)
        #expect(unit.commentedAssignments.contains("CapabilityBoundingSet=CAP_NET_BIND_SERVICE"))
        #expect(unit.commentedAssignments.contains("AmbientCapabilities=CAP_NET_BIND_SERVICE"))
    }

    @Test("systemd-analyze verify accepts the unit without a warning")
    func systemdAnalyzeVerifies() throws {
        // verify checks that ExecStart's program exists: point it at the built danegate.
        let directory = try TemporaryDirectory(prefix: "unit")
        let text = try String(contentsOfFile: unitPath, encoding: .utf8)
            .replacingOccurrences(of: "/usr/bin/danegate", with: try builtProduct("danegate"))
        let copy = try directory.write("danegate.service", text)
        // The man page is checked where it is installed (InstallScriptTests).
        let result = try run("systemd-analyze", ["verify", "--man=no", copy], package: "systemd")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // Bad values are warnings with exit status 0: any output is a failure.
        #expect(result.stdout.isEmpty && result.stderr.isEmpty, "\(result.stdout)\(result.stderr)")
    }
}
