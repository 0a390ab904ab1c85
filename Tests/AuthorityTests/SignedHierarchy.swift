import Foundation
import TestSupport

/// A parent zone `dane.test.` and its child `child.dane.test.`, both signed by `danezone sign`
/// with keys from `danezone keygen`, the child's DS (from `danezone ds`) in the parent.
struct SignedHierarchy {
    static let parent = "dane.test."
    static let child = "child.dane.test."

    let parentFile: String
    let childFile: String
    /// The parent's key-signing DNSKEY: flags, protocol, algorithm and base64 key.
    let parentKSK: (flags: String, proto: String, algorithm: String, key: String)

    init(in directory: TemporaryDirectory, algorithm: Int, nsec3: Bool, optOut: Bool = false) throws {
        let danezone = try builtProduct("danezone")
        func keys(_ zone: String) throws -> [String] {
            try [["--ksk"], []].map { extra in
                let stem = try run(danezone, ["keygen", "-a", String(algorithm), "--dir", directory.path] + extra + [zone])
                    .check("danezone keygen").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                return directory.file(stem)
            }
        }
        func sign(_ zone: String, _ file: String, _ keys: [String]) throws -> String {
            var arguments = ["sign", "--zone", file, "--origin", zone, "--output", file + ".signed"]
            for key in keys { arguments += ["--key", key] }
            if nsec3 { arguments += ["--nsec3", "--salt", "-", "--iterations", "0"] }
            if optOut { arguments.append("--opt-out") }
            try run(danezone, arguments).check("danezone sign \(zone)")
            return file + ".signed"
        }

        let childKeys = try keys(Self.child)
        let childText = """
            $ORIGIN \(Self.child)
            $TTL 300
            @ SOA ns hostmaster 1 3600 600 86400 60
            @ NS ns
            ns A 127.0.0.1
            www A 192.0.2.80
            www AAAA 2001:db8::80
            _443._tcp.www TLSA 3 1 1 AABBCCDDEEFF00112233445566778899AABBCCDDEEFF00112233445566778899
            *.wild TXT "synthesised"

            """
        childFile = try sign(Self.child, try directory.write("child.zone", childText), childKeys)
        let ds = try run(danezone, ["ds", childKeys[0] + ".key"]).check("danezone ds").stdout

        let parentKeys = try keys(Self.parent)
        let parentText = """
            $ORIGIN \(Self.parent)
            $TTL 300
            @ SOA ns hostmaster 1 3600 600 86400 60
            @ NS ns
            ns A 127.0.0.1
            @ MX 10 mx
            mx A 192.0.2.25
            _25._tcp.mx TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            child NS ns.child
            ns.child A 127.0.0.1
            insecure NS ns.insecure
            ns.insecure A 127.0.0.1
            \(ds)
            """
        parentFile = try sign(Self.parent, try directory.write("parent.zone", parentText), parentKeys)

        let keyLine = try String(contentsOfFile: parentKeys[0] + ".key", encoding: .utf8)
            .split(separator: "\n").first { !$0.hasPrefix(";") && $0.contains("DNSKEY") } ?? ""
        let fields = keyLine.split(separator: " ").map(String.init)
        guard let index = fields.firstIndex(of: "DNSKEY"), fields.count >= index + 5 else {
            throw TestSupportError(.commandFailed, "no DNSKEY in \(parentKeys[0]).key")
        }
        parentKSK = (fields[index + 1], fields[index + 2], fields[index + 3], fields[(index + 4)...].joined())
    }

    /// BIND's `trust-anchors { }` clause for the parent's KSK (for delv).
    var bindAnchor: String {
        "trust-anchors { \"\(Self.parent)\" static-key \(parentKSK.flags) \(parentKSK.proto) \(parentKSK.algorithm) \"\(parentKSK.key)\"; };\n"
    }

    /// The parent's KSK as a zone-file DNSKEY record (for unbound's trust-anchor-file).
    var zoneFileAnchor: String {
        "\(Self.parent) 300 IN DNSKEY \(parentKSK.flags) \(parentKSK.proto) \(parentKSK.algorithm) \(parentKSK.key)\n"
    }
}
