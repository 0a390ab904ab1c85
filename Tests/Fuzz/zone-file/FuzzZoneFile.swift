// libFuzzer entry point for the zone-file parser, built by `scripts/fuzz zone-file` together
// with the DNSWire sources into one module (hence no `import DNSWire`).
//
// The oracle: parsing arbitrary bytes either fails with a ZoneFileError or gives records that
// the writer prints as a zone which parses again to the same RRsets (compared in canonical
// form). `$INCLUDE` reads from an in-memory source holding one small file.

private let includeSource = InMemoryZoneFileSource(files: ["inc": "x 1 A 192.0.2.1\n"])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZoneFile(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: count))
    let options = ZoneFileParser.Options(origin: Name.root, limits: ZoneFileLimits(maxIncludeDepth: 3, maxIncludes: 8))
    var parser = ZoneFileParser(text: bytes, fileName: "fuzz", options: options, source: includeSource)
    guard let records = try? parser.records() else { return 0 }
    do {
        let text = try ZoneFileWriter.write(records)
        let reread = try ZoneFileParser.parse(text, fileName: "written")
        let before = try RRset.group(records).map { try $0.canonicalWire() }.sorted { $0.lexicographicallyPrecedes($1) }
        let after = try RRset.group(reread).map { try $0.canonicalWire() }.sorted { $0.lexicographicallyPrecedes($1) }
        precondition(before == after, "the written zone reads back to other RRsets")
    } catch {
        fatalError("records we parsed do not survive writing and reading: \(error)")
    }
    return 0
}
