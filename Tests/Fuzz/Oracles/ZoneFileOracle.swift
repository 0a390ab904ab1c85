import DNSWire

/// The oracle of the zone-file fuzz target: parsing arbitrary bytes either fails with a
/// ZoneFileError, or gives records that the writer prints as a zone which parses again to the
/// same RRsets (compared in canonical form). `$INCLUDE` reads from an in-memory source holding
/// one small file, with low limits on depth and count.
///
/// `scripts/fuzz zone-file` compiles this file into the DNSWire module itself (the import is
/// then ignored); the tests use it through the FuzzOracles target.
public enum ZoneFileOracle {
    private static let includeSource = InMemoryZoneFileSource(files: ["inc": "x 1 A 192.0.2.1\n"])

    public static func check(_ bytes: [UInt8]) throws(FuzzOracleViolation) {
        let options = ZoneFileParser.Options(origin: Name.root, limits: ZoneFileLimits(maxIncludeDepth: 3, maxIncludes: 8))
        var parser = ZoneFileParser(text: bytes, fileName: "fuzz", options: options, source: includeSource)
        guard let records = try? parser.records() else { return }
        let before: [[UInt8]]
        let after: [[UInt8]]
        do {
            let text = try ZoneFileWriter.write(records)
            let reread = try ZoneFileParser.parse(text, fileName: "written")
            before = try RRset.group(records).map { try $0.canonicalWire() }.sorted { $0.lexicographicallyPrecedes($1) }
            after = try RRset.group(reread).map { try $0.canonicalWire() }.sorted { $0.lexicographicallyPrecedes($1) }
        } catch {
            throw FuzzOracleViolation("records we parsed do not survive writing and reading: \(error)")
        }
        guard before == after else { throw FuzzOracleViolation("the written zone reads back to other RRsets") }
    }
}
