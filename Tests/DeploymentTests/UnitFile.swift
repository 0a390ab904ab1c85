import Foundation

/// A systemd unit file read as sections of `Key=Value` assignments (systemd.syntax(7)), with
/// its commented-out assignments kept apart. Enough to check which directives a unit sets.
struct UnitFile {
    /// Section name → the assignments in it, in file order (a key may repeat).
    private(set) var sections: [String: [(key: String, value: String)]] = [:]
    /// Lines commented out with `#` or `;` that look like assignments, without the comment mark.
    private(set) var commentedAssignments: [String] = []

    init(contentsOfFile path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var section = ""
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || line.hasPrefix(";") {
                let body = line.dropFirst().trimmingCharacters(in: .whitespaces)
                if body.contains("="), !body.contains(" ") { commentedAssignments.append(body) }
                continue
            }
            if line.hasPrefix("["), line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[section, default: []].append((key, value))
        }
    }

    /// Every value of `key` in `section`, in file order.
    func values(_ section: String, _ key: String) -> [String] {
        (sections[section] ?? []).filter { $0.key == key }.map(\.value)
    }

    /// The last value of `key` in `section` (the one systemd keeps for single-valued keys).
    func value(_ section: String, _ key: String) -> String? {
        values(section, key).last
    }
}
