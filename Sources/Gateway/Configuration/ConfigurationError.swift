/// One thing wrong with a configuration file, at the line and key it concerns.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file as it was named to the parser.
    public var file: String
    /// 1-based line; nil for the file as a whole (unreadable, too large).
    public var line: Int?
    /// The key the problem is about (`accept`, `connect`, ...); nil for a line that has no key
    /// (a bad section header, a line without `=`).
    public var key: String?
    public var message: String

    public init(file: String, line: Int?, key: String?, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `FILE:LINE: key: message`, the form compilers use so that editors can jump to it;
    /// the parts that are unknown are left out.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let key { text += "\(key): " }
        return text + message
    }
}

/// Everything wrong with a configuration file: the parser collects every problem it can find
/// rather than stopping at the first, so one run of `danegate check-config` shows them all.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The most problems listed for one file; one more line then says the list was cut.
    public static let maximumProblemCount = ConfigurationProblems.maximumCount

    public var problems: [ConfigurationProblem]

    public init(problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    /// One problem per line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
