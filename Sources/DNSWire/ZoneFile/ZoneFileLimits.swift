/// Bounds that keep a hostile or broken zone file from using unbounded memory or time
/// (DESIGN.md rule 11). The defaults are far above anything a real zone needs.
public struct ZoneFileLimits: Sendable, Equatable {
    /// Longest single token in bytes. A 65,535-byte RDATA written as one hex token is 131,070
    /// characters, so the default admits it.
    public var maxTokenBytes: Int
    /// Longest entry (one record, possibly over several lines in parentheses) in bytes, comments included.
    public var maxEntryBytes: Int
    /// Most tokens in one entry (`\# 65535` followed by one hex byte per token is 65,537).
    public var maxTokensPerEntry: Int
    /// How deep `$INCLUDE` may nest; the top-level file is depth 0.
    public var maxIncludeDepth: Int
    /// How many `$INCLUDE`s one load may open in total (bounds fan-out, not only depth).
    public var maxIncludes: Int

    public init(
        maxTokenBytes: Int = 140_000,
        maxEntryBytes: Int = 1 << 20,
        maxTokensPerEntry: Int = 70_000,
        maxIncludeDepth: Int = 8,
        maxIncludes: Int = 256
    ) {
        self.maxTokenBytes = maxTokenBytes
        self.maxEntryBytes = maxEntryBytes
        self.maxTokensPerEntry = maxTokensPerEntry
        self.maxIncludeDepth = maxIncludeDepth
        self.maxIncludes = maxIncludes
    }

    public static let `default` = ZoneFileLimits()
}
