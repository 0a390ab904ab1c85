/// The lines of an stunnel-style INI file, before any key means anything: `key = value` lines
/// before the first `[section]` are global, the rest belong to the section above them. Full-line
/// comments start with `;` or `#` (as in stunnel, a `;` or `#` later in a line is part of the
/// value). Input is bounded: the file, each line and the number of sections (DESIGN rule 11).
struct INIFile {
    struct Entry: Equatable {
        var key: String
        var value: String
        var line: Int
    }

    struct Section: Equatable {
        var name: String
        var line: Int
        var entries: [Entry] = []
    }

    var global: [Entry] = []
    var sections: [Section] = []

    static let maximumFileSize = 1 << 20
    static let maximumLineLength = 4096
    static let maximumSections = 1024
    static let maximumSectionNameLength = 64

    /// Splits `bytes` into entries and sections, adding what is wrong with a line to `problems`
    /// and going on with the next line.
    static func parse(_ bytes: [UInt8], problems: inout ConfigurationProblems) -> INIFile {
        var file = INIFile()
        guard bytes.count <= maximumFileSize else {
            problems.add(line: nil, key: nil, "the file is larger than \(maximumFileSize) bytes")
            return file
        }
        var sectionNames: [String: Int] = [:]
        // Entries after a section that could not be opened go nowhere, so that they are not
        // mistaken for keys of the section before it.
        var discarding = false
        var lineNumber = 0
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var lineBytes = rawLine[...]
            if lineBytes.last == UInt8(ascii: "\r") { lineBytes = lineBytes.dropLast() }
            guard lineBytes.count <= maximumLineLength else {
                problems.add(line: lineNumber, key: nil, "line longer than \(maximumLineLength) bytes")
                continue
            }
            if let bad = lineBytes.first(where: { ($0 < 0x20 && $0 != UInt8(ascii: "\t")) || $0 == 0x7F }) {
                problems.add(line: lineNumber, key: nil, "control character 0x\(String(bad, radix: 16)) in line")
                continue
            }
            guard let text = String(validating: lineBytes, as: UTF8.self) else {
                problems.add(line: lineNumber, key: nil, "line is not valid UTF-8")
                continue
            }
            let line = trimmed(text[...])
            if line.isEmpty || line.hasPrefix(";") || line.hasPrefix("#") { continue }

            if line.hasPrefix("[") {
                discarding = true
                guard line.hasSuffix("]"), line.count >= 2 else {
                    problems.add(line: lineNumber, key: nil, "section header must be [name]")
                    continue
                }
                let name = String(trimmed(line.dropFirst().dropLast()))
                if let message = sectionNameProblem(name) {
                    problems.add(line: lineNumber, key: nil, message)
                    continue
                }
                if let first = sectionNames[name] {
                    problems.add(line: lineNumber, key: nil, "section [\(name)] already defined on line \(first)")
                    continue
                }
                guard file.sections.count < maximumSections else {
                    problems.add(line: lineNumber, key: nil, "more than \(maximumSections) sections")
                    continue
                }
                sectionNames[name] = lineNumber
                file.sections.append(Section(name: name, line: lineNumber))
                discarding = false
                continue
            }

            guard let equals = line.firstIndex(of: "=") else {
                problems.add(line: lineNumber, key: nil, "expected 'key = value', a [section] or a comment")
                continue
            }
            let key = String(trimmed(line[..<equals]))
            let value = String(trimmed(line[line.index(after: equals)...]))
            guard !key.isEmpty else {
                problems.add(line: lineNumber, key: nil, "missing key before '='")
                continue
            }
            let entry = Entry(key: key, value: value, line: lineNumber)
            if file.sections.isEmpty && !discarding {
                file.global.append(entry)
            } else if !discarding {
                file.sections[file.sections.count - 1].entries.append(entry)
            }
        }
        return file
    }

    /// Names appear in logs, the audit log and metrics labels: keep them plain.
    private static func sectionNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "empty section name" }
        if name.utf8.count > maximumSectionNameLength {
            return "section name longer than \(maximumSectionNameLength) characters"
        }
        let allowed = name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || $0 == "-" || $0 == "_" || $0 == "."
        }
        return allowed ? nil : "section name '\(name)' may hold only letters, digits, '-', '_' and '.'"
    }

    static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}

/// The problems found so far in one file, capped so that a file of garbage cannot make the
/// report itself unbounded (DESIGN rule 11).
struct ConfigurationProblems {
    static let maximumCount = 1000

    let file: String
    private(set) var list: [ConfigurationProblem] = []
    private var truncated = false

    init(file: String) {
        self.file = file
    }

    var isEmpty: Bool { list.isEmpty }

    /// The problems in the order of the file (problems of the whole file first); problems on
    /// one line keep the order they were found in.
    var sortedByLine: [ConfigurationProblem] {
        list.enumerated().sorted { a, b in
            let left = a.element.line ?? 0
            let right = b.element.line ?? 0
            return left != right ? left < right : a.offset < b.offset
        }.map(\.element)
    }

    mutating func add(line: Int?, key: String?, _ message: String) {
        guard !truncated else { return }
        guard list.count < Self.maximumCount else {
            truncated = true
            list.append(ConfigurationProblem(
                file: file, line: nil, key: nil,
                message: "more than \(Self.maximumCount) problems; only the first \(Self.maximumCount) are listed"))
            return
        }
        list.append(ConfigurationProblem(file: file, line: line, key: key, message: message))
    }
}
