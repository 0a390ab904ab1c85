import Foundation

/// Reads zone files from the file system: the one place in DNSWire that does I/O, kept at the
/// edge so the parser stays pure (DESIGN.md).
///
/// A relative `$INCLUDE` path is resolved against the folder of the including file (BIND
/// resolves against its working directory; files that include by path relative to themselves
/// are the common case and need no `directory` option here). Paths are standardised, so the
/// same file reached by two spellings is recognised by the include-loop check.
public struct FileSystemZoneFileSource: ZoneFileSource {
    /// Refuse files larger than this (bytes), so a wrong path (a device, a huge log) cannot
    /// exhaust memory.
    public var maxFileBytes: Int

    public init(maxFileBytes: Int = 1 << 30) {
        self.maxFileBytes = maxFileBytes
    }

    /// A zone file that could not be read: missing, unreadable, or larger than `maxFileBytes`.
    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    public func read(_ path: String, includedFrom includingFile: String?) throws -> ZoneFileContents {
        var url = URL(fileURLWithPath: path)
        if !path.hasPrefix("/"), let includingFile {
            url = URL(fileURLWithPath: includingFile).deletingLastPathComponent().appendingPathComponent(path)
        }
        url = url.standardizedFileURL
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        guard (attributes[.type] as? FileAttributeType) == .typeRegular else {
            throw ReadError(description: "\(url.path) is not a regular file")
        }
        if let size = attributes[.size] as? NSNumber, size.intValue > maxFileBytes {
            throw ReadError(description: "\(url.path) is larger than \(maxFileBytes) bytes")
        }
        let data = try Data(contentsOf: url)
        return ZoneFileContents(name: url.path, bytes: [UInt8](data))
    }
}

extension ZoneFileParser {
    /// Loads the zone file at `path` from the file system, following its `$INCLUDE`s.
    public static func load(path: String, options: Options = Options()) throws(ZoneFileError) -> [Record] {
        var parser = try ZoneFileParser(path: path, source: FileSystemZoneFileSource(), options: options)
        return try parser.records()
    }
}
