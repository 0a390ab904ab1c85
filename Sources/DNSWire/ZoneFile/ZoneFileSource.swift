/// Where the text of a zone file and of the files it `$INCLUDE`s comes from.
///
/// The DNS wire layer does no I/O itself (DESIGN.md); the file system reader lives at the edge
/// (``FileSystemZoneFileSource``) and tests use ``InMemoryZoneFileSource``.
public protocol ZoneFileSource: Sendable {
    /// The file `path`, as written in a `$INCLUDE` of `includingFile` (nil for the top-level file).
    ///
    /// The returned ``ZoneFileContents/name`` identifies the file: it is what errors show, and two
    /// includes that resolve to the same name are the same file (for loop detection).
    func read(_ path: String, includedFrom includingFile: String?) throws -> ZoneFileContents
}

/// The bytes of one zone file and the name that identifies it.
public struct ZoneFileContents: Sendable, Equatable {
    public var name: String
    public var bytes: [UInt8]

    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}

/// Zone files held in memory by name; `$INCLUDE` paths are looked up exactly as written.
public struct InMemoryZoneFileSource: ZoneFileSource {
    public var files: [String: [UInt8]]

    public init(files: [String: [UInt8]]) { self.files = files }

    public init(files: [String: String]) {
        self.files = files.mapValues { Array($0.utf8) }
    }

    /// An `$INCLUDE` of a file the source does not hold.
    public struct NotFound: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "no such file: \(path)" }
    }

    public func read(_ path: String, includedFrom includingFile: String?) throws -> ZoneFileContents {
        guard let bytes = files[path] else { throw NotFound(path: path) }
        return ZoneFileContents(name: path, bytes: bytes)
    }
}
