import Foundation
import TestSupport
import Testing

@testable import DNSWire

/// Our zone-file parser, record decoder and canonical form against real peers: dnspython (from
/// the venv scripts/setup makes) and `ldns-read-zone` (ldnsutils), on a generated corpus
/// (``ZoneFileCorpus``, fixed seed) of zones and of 1,200 messages with name compression.
///
/// Records are compared as wire bytes, twice: as written (owner and RDATA names in their
/// original case, uncompressed) and in canonical form (RFC 4034 §6.2 with RFC 6840 §5.1).
/// Both sides are compared as sets per zone or per message section, since dnspython merges
/// RRsets and drops duplicates. Both peers also read the zones as ``ZoneFileWriter`` prints them.
/// Where the peers differ from us, and why, is listed in ``ZoneFileParser``'s documentation and
/// in ``ZoneFileCorpus/forLDNS``.
@Suite(.serialized) struct ZoneFileDifferentialTests {
    static let zoneCount = 24
    static let recordsPerZone = 70
    static let messageCount = 1200

    /// `plain canonical` hex of one record, the format the Python helper prints.
    static func recordLine(_ record: Record) throws -> String {
        let rdata = try record.rdata.wireRDATA()
        var header: [UInt8] = []
        for value in [record.type.rawValue, record.rrClass.rawValue, UInt16(record.ttl >> 16),
            UInt16(truncatingIfNeeded: record.ttl), UInt16(rdata.count)]
        {
            header += [UInt8(value >> 8), UInt8(truncatingIfNeeded: value)]
        }
        let canonical = CanonicalRDATA.canonical(rdata, type: record.type)
        return ZoneTestHelpers.hex(record.owner.wire + header + rdata) + " "
            + ZoneTestHelpers.hex(record.owner.lowercased().wire + header + canonical)
    }

    static func corpus(forLDNS: Bool = false) -> [ZoneFileCorpus.Zone] {
        var corpus = ZoneFileCorpus(seed: 20_260_127, forLDNS: forLDNS)
        return (0..<zoneCount).map { corpus.zone(index: $0, records: recordsPerZone) }
    }

    static func parse(_ zone: ZoneFileCorpus.Zone, name: String) throws -> [Record] {
        try ZoneFileParser.parse(zone.text, fileName: name, options: .init(origin: Name(presentation: zone.origin)))
    }

    /// A message with a random header, one question and `records` spread over the three
    /// sections (in order, a random number in each), written record by record with name
    /// compression (not by our message encoder, so the decoders see our writer's pointers only).
    static func message(_ records: [Record], random: inout ZoneTestRandom) throws -> [UInt8] {
        var writer = DNSWriter.forMessage()
        writer.writeUInt16(UInt16.random(in: 0...0xFFFF, using: &random))
        // QR set, opcode QUERY (dnspython reads UPDATE sections by other rules), Z clear; AA, TC,
        // RD, RA, AD, CD and RCODE random.
        writer.writeUInt16(UInt16.random(in: 0...0xFFFF, using: &random) & 0x07BF | 0x8000)
        let sections = records.map { _ in Int.random(in: 1...3, using: &random) }.sorted()
        writer.writeUInt16(1)
        for section in 1...3 { writer.writeUInt16(UInt16(sections.filter { $0 == section }.count)) }
        writer.writeName(records.first?.owner ?? .root, compressible: true)
        writer.writeUInt16(records.first?.type.rawValue ?? 1)
        writer.writeUInt16(1)
        for record in records { try record.write(to: &writer) }
        return writer.bytes
    }

    /// Our decoding (``Message/init(bytes:)``) of a message made by ``message(_:random:)``:
    /// `section plain canonical` lines.
    static func decodeLines(_ bytes: [UInt8]) throws -> Set<String> {
        let message = try Message(bytes: bytes)
        var lines: Set<String> = []
        for (section, records) in [message.answers, message.authority, message.additional].enumerated() {
            for record in records { lines.insert("\(section + 1) " + (try recordLine(record))) }
        }
        return lines
    }

    @Test func dnspythonAgreesOnZonesAndMessages() throws {
        let python = repositoryRootPath + "/.venv/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            Issue.record("no \(python): run scripts/setup (python3-venv, then pip install dnspython)")
            return
        }
        let folder = try TemporaryDirectory(prefix: "danegate-zonediff")
        let zones = Self.corpus()

        var ourZoneLines: [Set<String>] = []
        var allRecords: [[Record]] = []
        var listing = ""
        for (index, zone) in zones.enumerated() {
            let path = try folder.write("zone\(index).zone", zone.text)
            listing += "\(zone.origin) \(path)\n"
            let records = try Self.parse(zone, name: path)
            allRecords.append(records)
            ourZoneLines.append(Set(try records.map(Self.recordLine)))
            // Our byte-level canonical RDATA agrees with the wire helper's canonical writer.
            for record in records {
                #expect(
                    CanonicalRDATA.canonical(try record.rdata.wireRDATA(), type: record.type)
                        == (try record.rdata.canonicalRDATA()), "canonical RDATA of \(record)")
            }
        }

        // Every type of issue 3 is in the corpus, parsed into its own RDATA type (not kept opaque).
        let parsed = allRecords.joined()
        let known: [RRType] = [
            .a, .aaaa, .ns, .cname, .dname, .soa, .ptr, .mx, .txt, .srv, .naptr, .caa, .sshfp, .tlsa, .svcb,
            .https, .ds, .cds, .dnskey, .cdnskey, .rrsig, .nsec, .nsec3, .nsec3param,
        ]
        for type in known {
            #expect(parsed.contains { $0.type == type && !($0.rdata is UnknownRDATA) }, "corpus has \(type)")
        }
        #expect(parsed.contains { $0.type == RRType(65280) })

        var random = ZoneTestRandom(seed: 4034)
        var messages: [[UInt8]] = []
        var ourMessageLines: [Set<String>] = []
        for _ in 0..<Self.messageCount {
            let zone = allRecords[Int.random(in: 0...(allRecords.count - 1), using: &random)]
            let picked = (0..<Int.random(in: 1...10, using: &random)).map { _ in
                zone[Int.random(in: 0...(zone.count - 1), using: &random)]  // a zone has its SOA at least
            }
            let bytes = try Self.message(picked, random: &random)
            messages.append(bytes)
            ourMessageLines.append(try Self.decodeLines(bytes))
        }
        #expect(messages.filter { $0.count > 12 && $0.contains(0xC0) }.count > Self.messageCount / 2, "compression is used")

        // dnspython also reads what our writer prints (entries zones.count ..< 2 * zones.count).
        for (index, zone) in zones.enumerated() {
            let written = try folder.write("written\(index).zone", try ZoneFileWriter.write(allRecords[index]))
            listing += "\(zone.origin) \(written)\n"
        }
        let zonesList = try folder.write("zones.txt", listing)
        let messagesFile = try folder.write(
            "messages.txt", messages.map { ZoneTestHelpers.hex($0) }.joined(separator: "\n") + "\n")
        let script = try folder.write("dnspython_canonical.py", DNSPythonPeer.script)
        let result = try run(python, [script, zonesList, messagesFile], timeout: 300).check("dnspython helper")

        var theirZoneLines = [Set<String>](repeating: [], count: 2 * zones.count)
        var theirMessageLines = [Set<String>](repeating: [], count: messages.count)
        for line in result.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 3).map(String.init)
            switch fields.first {
            case "Z":
                theirZoneLines[Int(fields[1]) ?? 0].insert(fields[2] + " " + fields[3])
            case "M":
                theirMessageLines[Int(fields[1]) ?? 0].insert(fields[2] + " " + fields[3])
            default:
                Issue.record("dnspython refused: \(line)")
            }
        }
        for index in 0..<zones.count {
            let onlyOurs = ourZoneLines[index].subtracting(theirZoneLines[index])
            let onlyTheirs = theirZoneLines[index].subtracting(ourZoneLines[index])
            #expect(
                onlyOurs.isEmpty && onlyTheirs.isEmpty,
                "zone \(index): only ours \(onlyOurs.sorted().prefix(3)), only dnspython's \(onlyTheirs.sorted().prefix(3))")
        }
        // The writer prints each RRset with the owner's first-seen case: compare canonical forms.
        func canonical(_ lines: Set<String>) -> Set<Substring> { Set(lines.map { $0.split(separator: " ")[1] }) }
        for index in 0..<zones.count {
            #expect(
                canonical(theirZoneLines[zones.count + index]) == canonical(ourZoneLines[index]),
                "zone \(index) as our writer prints it, read by dnspython")
        }
        var disagreements = 0
        for index in 0..<messages.count where ourMessageLines[index] != theirMessageLines[index] {
            disagreements += 1
            if disagreements <= 3 {
                Issue.record(
                    "message \(index) \(ZoneTestHelpers.hex(messages[index])): only ours \(ourMessageLines[index].subtracting(theirMessageLines[index]).sorted()), only dnspython's \(theirMessageLines[index].subtracting(ourMessageLines[index]).sorted())")
            }
        }
        #expect(disagreements == 0)
    }

    /// ldns reads each corpus zone and prints it with every type but A in RFC 3597 generic form
    /// (`-U A`), i.e. as ldns's own RDATA bytes; our parser reads that back and must find the
    /// same records as in the original.
    @Test func ldnsReadZoneAgreesOnZones() throws {
        let ldns = try requireProgram("ldns-read-zone", package: "ldnsutils")
        let folder = try TemporaryDirectory(prefix: "danegate-zoneldns")
        // ldns 1.8 refuses some valid input and prints some names unreadably: see
        // ZoneFileCorpus.forLDNS.
        for (index, zone) in Self.corpus(forLDNS: true).enumerated() {
            let path = try folder.write("zone\(index).zone", zone.text)
            let ours = Set(try Self.parse(zone, name: path).map(Self.recordLine))
            let printed = try run(ldns, ["-U", "A", path], timeout: 60)
            guard printed.status == 0 else {
                Issue.record("ldns-read-zone refused zone \(index): \(printed.stderr)\n\(zone.text)")
                continue
            }
            let theirs = Set(
                try ZoneFileParser.parse(printed.stdout, fileName: "ldns output \(index)").map(Self.recordLine))
            #expect(
                ours == theirs,
                "zone \(index): only ours \(ours.subtracting(theirs).sorted().prefix(3)), only ldns's \(theirs.subtracting(ours).sorted().prefix(3))"
            )
            // And ldns reads what our writer prints to the same records.
            let written = try folder.write("written\(index).zone", try ZoneFileWriter.write(try Self.parse(zone, name: path)))
            let reprinted = try run(ldns, ["-U", "A", written], timeout: 60).check("ldns-read-zone")
            let again = Set(try ZoneFileParser.parse(reprinted.stdout).map(Self.recordLine))
            #expect(again.count <= ours.count)
            #expect(Set(again.map { $0.split(separator: " ")[1] }) == Set(ours.map { $0.split(separator: " ")[1] }), "zone \(index) written by us, read by ldns")
        }
    }
}
