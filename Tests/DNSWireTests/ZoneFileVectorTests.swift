import Foundation
import TestSupport
import Testing

@testable import DNSWire

/// The zones of the vectors in Tests/Vectors load, and written back out they load again to the same RRsets.
///
/// Tests/Vectors/unbound/testdata holds no zone file proper: test_*.* are ldns-testns
/// `ENTRY_BEGIN ... ENTRY_END` blocks and *.rpl are replay scenarios built of the same blocks.
/// Their `SECTION ANSWER / AUTHORITY / ADDITIONAL` lines, however, are master-file record lines,
/// so each file's record lines are taken out (``recordLines(ofTestdata:)``) and loaded as a zone
/// with origin `.` and default TTL 3600 (ldns-testns's default). The QUESTION sections are
/// queries, not records, and are left out.
@Suite struct ZoneFileVectorTests {
    static let testdataFolder = vectorPath("unbound/testdata")

    static var testdataFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: testdataFolder)) ?? []).sorted()
    }

    /// The record lines of an ldns-testns / replay file, as zone-file text.
    static func recordLines(ofTestdata text: String) -> String {
        var lines: [Substring] = []
        var inRecords = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let word = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? ""
            if word == "SECTION" {
                let section = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? ""
                inRecords = section != "QUESTION"
            } else if word.hasPrefix("ENTRY_") || word.hasPrefix("RANGE_") || word == "STEP" || word == "MATCH"
                || word == "REPLY" || word == "ADJUST" || word.hasPrefix("SCENARIO_")
            {
                inRecords = false
            } else if inRecords {
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A zone's RRsets, each as its canonical wire form (which includes owner, type, class, TTL
    /// and every RDATA in canonical order), sorted: equal lists mean equal RRsets.
    static func canonicalRRsets(_ records: [Record]) throws -> [String] {
        try RRset.group(records).map { ZoneTestHelpers.hex(try $0.canonicalWire()) }.sorted()
    }

    /// Loads `records`' printed form again and expects the same RRsets.
    static func expectRoundTrip(_ records: [Record], _ what: String) throws {
        let written = try ZoneFileWriter.write(records)
        let reread = try ZoneFileParser.parse(written, fileName: "\(what) (written)")
        #expect(try canonicalRRsets(reread) == canonicalRRsets(records), "round trip of \(what)")
        #expect(try ZoneFileWriter.write(reread) == written, "second write of \(what)")
    }

    /// The record counts are dnspython's for the same files.
    @Test(arguments: [("rfc4035", 63), ("rfc5155", 70)])
    func rfcAppendixZonesLoadAndRoundTrip(folder: String, count: Int) throws {
        let records = try ZoneFileParser.load(path: vectorPath("rfc-derived/\(folder)/appendixA.zone"))
        #expect(records.count == count)
        #expect(records.allSatisfy { !($0.rdata is UnknownRDATA) }, "every type of \(folder) is known")
        try Self.expectRoundTrip(records, folder)
    }

    /// Every file of Tests/Vectors/unbound/testdata (see its README), and no other.
    @Test func everyUnboundTestdataFileIsCovered() {
        #expect(Self.testdataFiles.count == 34)
    }

    @Test(arguments: testdataFiles)
    func unboundTestdataRecordsLoadAndRoundTrip(file: String) throws {
        let text = try String(contentsOfFile: Self.testdataFolder + "/" + file, encoding: .utf8)
        let zone = Self.recordLines(ofTestdata: text)
        let options = ZoneFileParser.Options(origin: .root, defaultTTL: 3600)
        let records = try ZoneFileParser.parse(zone, fileName: file, options: options)
        #expect(!records.isEmpty, "\(file) has records")
        try Self.expectRoundTrip(records, file)
    }

    /// The file-system source: a relative `$INCLUDE` is found next to the including file, the
    /// same file reached by another spelling is still a loop, and errors name the real path.
    @Test func fileSystemIncludes() throws {
        let folder = try TemporaryDirectory(prefix: "danegate-zoneinclude")
        try FileManager.default.createDirectory(atPath: folder.file("sub"), withIntermediateDirectories: true)
        let main = try folder.write("main.zone", "$ORIGIN example.\n$TTL 60\n@ NS ns\n$INCLUDE sub/hosts.zone hosts\n")
        _ = try folder.write("sub/hosts.zone", "www A 192.0.2.1\n$INCLUDE more.zone\n")
        _ = try folder.write("sub/more.zone", "ftp A 192.0.2.2\n")
        let records = try ZoneFileParser.load(path: main)
        #expect(records.map(\.presentation) == [
            "example. 60 IN NS ns.example.", "www.hosts.example. 60 IN A 192.0.2.1", "ftp.hosts.example. 60 IN A 192.0.2.2",
        ])

        _ = try folder.write("sub/more.zone", "$INCLUDE ../sub/./hosts.zone\n")
        let loop = Self.loadError(main)
        #expect(loop?.code == .includeLoop)
        #expect(loop?.file.hasSuffix("/sub/more.zone") == true && loop?.line == 1 && loop?.column == 10)
        #expect(Self.loadError(folder.file("missing.zone"))?.code == .includeUnreadable)
    }

    static func loadError(_ path: String) -> ZoneFileError? {
        do {
            _ = try ZoneFileParser.load(path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test func recordLinesSkipQuestionsAndKeywords() {
        let text = """
            ENTRY_BEGIN
            MATCH opcode qtype qname
            REPLY QR AA NOERROR
            SECTION QUESTION
            www.example.com.\tIN A
            SECTION ANSWER
            www.example.com. 3600 IN A 10.0.0.1
            SECTION AUTHORITY
            example.com. 3600 IN NS ns.example.com.
            ENTRY_END
            STEP 1 QUERY
            """
        #expect(
            Self.recordLines(ofTestdata: text)
                == "www.example.com. 3600 IN A 10.0.0.1\nexample.com. 3600 IN NS ns.example.com.\n")
    }
}
