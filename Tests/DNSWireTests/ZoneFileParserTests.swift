import Testing

@testable import DNSWire

/// Entries to records: owners, origins, TTL and class rules, $INCLUDE state, errors.
@Suite struct ZoneFileParserTests {
    private func parse(
        _ text: String, origin: String? = nil, files: [String: String] = [:]
    ) throws -> [String] {
        let options = ZoneFileParser.Options(origin: try origin.map { try Name(presentation: $0) })
        return try ZoneFileParser.parse(
            text, fileName: "main", options: options, source: InMemoryZoneFileSource(files: files)
        ).map(\.presentation)
    }

    private func parseError(_ text: String, origin: String? = nil, files: [String: String] = [:]) -> ZoneFileError? {
        do {
            _ = try parse(text, origin: origin, files: files)
            return nil
        } catch {
            return error as? ZoneFileError
        }
    }

    @Test func originAtSignAndRelativeNames() throws {
        let text = """
            $ORIGIN example.
            @ 300 IN NS ns1
            www 300 IN CNAME @
            $ORIGIN sub
            x 300 IN MX 10 mail.other.
            """
        #expect(
            try parse(text) == [
                "example. 300 IN NS ns1.example.",
                "www.example. 300 IN CNAME example.",
                "x.sub.example. 300 IN MX 10 mail.other.",
            ])
    }

    @Test func originFromOptions() throws {
        #expect(try parse("a 1 A 192.0.2.1", origin: "zone.") == ["a.zone. 1 IN A 192.0.2.1"])
    }

    @Test func omittedOwnerRepeatsThePreviousOne() throws {
        #expect(
            try parse("a.example. 1 A 192.0.2.1\n  2 A 192.0.2.2\n\tAAAA ::1\nb.example. 3 A 192.0.2.3\n")
                == [
                    "a.example. 1 IN A 192.0.2.1", "a.example. 2 IN A 192.0.2.2", "a.example. 2 IN AAAA ::1",
                    "b.example. 3 IN A 192.0.2.3",
                ])
    }

    @Test func ttlAndClassInEitherOrder() throws {
        #expect(
            try parse("a. 5 IN A 192.0.2.1\nb. IN 6 A 192.0.2.2\nc. 7 A 192.0.2.3\nd. IN 1h A 192.0.2.4\n")
                == ["a. 5 IN A 192.0.2.1", "b. 6 IN A 192.0.2.2", "c. 7 IN A 192.0.2.3", "d. 3600 IN A 192.0.2.4"])
    }

    @Test func classIsInheritedAndMustNotChange() throws {
        #expect(try parse("a. 1 CH A 0.0.0.1\nb. 1 A 0.0.0.2\n") == ["a. 1 CH A 0.0.0.1", "b. 1 CH A 0.0.0.2"])
        let error = parseError("a. 1 IN A 0.0.0.1\nb. 1 CH A 0.0.0.2\n")
        #expect(error?.code == .classMismatch)
        #expect(error?.line == 2 && error?.column == 4)
    }

    @Test func dollarTTLIsTheDefault() throws {
        #expect(
            try parse("$TTL 1h\na. A 0.0.0.1\nb. 5 A 0.0.0.2\nc. A 0.0.0.3\n")
                == ["a. 3600 IN A 0.0.0.1", "b. 5 IN A 0.0.0.2", "c. 3600 IN A 0.0.0.3"])
    }

    @Test func withoutDollarTTLTheLastStatedTTLApplies() throws {
        #expect(
            try parse("a. 7 A 0.0.0.1\nb. A 0.0.0.2\nc. 9 A 0.0.0.3\nd. A 0.0.0.4\n")
                == ["a. 7 IN A 0.0.0.1", "b. 7 IN A 0.0.0.2", "c. 9 IN A 0.0.0.3", "d. 9 IN A 0.0.0.4"])
    }

    @Test func soaMinimumIsTheLastResort() throws {
        let text = "$ORIGIN ex.\n@ IN SOA ns host 1 2 3 4 300\nwww A 192.0.2.1\nftp 60 A 192.0.2.2\nmail A 192.0.2.3\n"
        #expect(
            try parse(text) == [
                "ex. 300 IN SOA ns.ex. host.ex. 1 2 3 4 300", "www.ex. 300 IN A 192.0.2.1",
                "ftp.ex. 60 IN A 192.0.2.2", "mail.ex. 60 IN A 192.0.2.3",
            ])
    }

    @Test func missingTTLIsAnError() {
        let error = parseError("\na. IN A 192.0.2.1\n")
        #expect(error?.code == .missingTTL)
        #expect(error?.description == "main:2:7: no TTL, no $TTL and no earlier TTL to use")
    }

    @Test func includeBorrowsAndRestoresState() throws {
        let files = ["inc": "x 9 A 192.0.2.9\n  A 192.0.2.10\n$TTL 5\ny A 192.0.2.11\n$ORIGIN deeper.\nz A 192.0.2.12\n"]
        let text = "$ORIGIN ex.\n$TTL 60\na A 192.0.2.1\n$INCLUDE inc sub.ex.\n  A 192.0.2.2\nb A 192.0.2.3\n"
        #expect(
            try parse(text, files: files) == [
                "a.ex. 60 IN A 192.0.2.1",
                "x.sub.ex. 9 IN A 192.0.2.9", "x.sub.ex. 60 IN A 192.0.2.10", "y.sub.ex. 5 IN A 192.0.2.11",
                "z.deeper. 5 IN A 192.0.2.12",
                // Back in the including file: its owner, origin and $TTL again.
                "a.ex. 60 IN A 192.0.2.2", "b.ex. 60 IN A 192.0.2.3",
            ])
    }

    @Test func includeOriginIsRelativeToTheCurrentOrigin() throws {
        #expect(
            try parse("$ORIGIN ex.\n$INCLUDE inc sub\n", files: ["inc": "x 1 A 192.0.2.1\n"])
                == ["x.sub.ex. 1 IN A 192.0.2.1"])
    }

    // MARK: errors, each named, with file, line and column

    @Test func unknownTypeIsAnError() {
        let error = parseError("a. 1 IN A 192.0.2.1\n  FOO 1 2\n")
        #expect(error?.code == .unknownType)
        #expect(error?.description == "main:2:3: unknown type 'FOO'")
        #expect(parseError("a. 1 IN ANY \\# 0")?.code == .unknownType)
        #expect(parseError("a. 1 IN OPT \\# 0")?.code == .unknownType)
    }

    @Test func badTTLIsAnError() {
        let error = parseError("a. 1 A 192.0.2.1\nb. 1x IN A 192.0.2.1\n")
        #expect(error?.code == .badTTL)
        #expect(error?.line == 2 && error?.column == 4)
        #expect(parseError("a. 4294967295 A 192.0.2.1")?.code == .badTTL)
    }

    @Test func relativeOwnerWithoutOriginIsAnError() {
        let error = parseError("a. 1 A 192.0.2.1\nwww 1 A 192.0.2.1\n")
        #expect(error?.code == .missingOrigin)
        #expect(error?.description == "main:2:1: relative owner name 'www' with no $ORIGIN")
        #expect(parseError("@ 1 A 192.0.2.1")?.code == .missingOrigin)
    }

    @Test func relativeNameInRDATAWithoutOriginIsAnError() {
        let error = parseError("a. 1 IN NS\tns1\n")
        #expect(error?.code == .missingOrigin)
        #expect(error?.line == 1 && error?.column == 12)
    }

    @Test func missingOwnerIsAnError() {
        let error = parseError("\n  1 IN A 192.0.2.1\n")
        #expect(error?.code == .missingOwner)
        #expect(error?.line == 2 && error?.column == 3)
    }

    @Test func missingTypeIsAnError() {
        let error = parseError("a. 1 IN\n")
        #expect(error?.code == .missingType)
        #expect(error?.line == 1 && error?.column == 6)
    }

    @Test func badRDATANamesTheField() {
        let error = parseError("a. 1 IN A 192.0.2.1\nb. 1 IN A (\n 192.0.2.300 )\n")
        #expect(error?.code == .badRDATA)
        #expect(error?.line == 3 && error?.column == 2)
    }

    @Test func badNameIsAnError() {
        let label = String(repeating: "x", count: 64)
        let error = parseError("a. 1 A 192.0.2.1\n\(label). 1 A 192.0.2.1\n")
        #expect(error?.code == .badName)
        #expect(error?.line == 2 && error?.column == 1)
        #expect(parseError("$ORIGIN a..b.\n")?.code == .badName)
    }

    @Test func errorsInIncludedFilesNameThatFile() {
        let error = parseError("$ORIGIN ex.\n$INCLUDE inc\n", files: ["inc": "\nok 1 A 192.0.2.1\nbad 1 A x\n"])
        #expect(error?.code == .badRDATA)
        #expect(error?.file == "inc" && error?.line == 3 && error?.column == 9)
    }

    /// Every prefix of a valid zone parses or fails with a ZoneFileError: never a crash or hang.
    @Test func everyPrefixOfAZoneEndsCleanly() {
        let text = Array(
            ##"""
            $ORIGIN ex.
            $TTL 1h
            @ IN SOA ns host ( 1 2 3 4 5 ) ; comment
              NS ns
            a\.b 300 IN TXT "q\"uote" x\;y
            _443._tcp IN 60 TLSA 3 1 1 ( 0123456789abcdef )
            \# 1 A \# 4 c0000201

            """##.utf8)
        var parsed = 0
        for length in 0...text.count {
            var parser = ZoneFileParser(text: Array(text[..<length]))
            if (try? parser.records()) != nil { parsed += 1 }
        }
        #expect(parsed > 10)
        var whole = ZoneFileParser(text: text)
        #expect((try? whole.records())?.count == 5)
    }

    // MARK: writing back

    /// One RRset per owner regardless of case (the owner as first seen), duplicates dropped.
    @Test func writerPrintsCanonicalOrderWithSOAFirst() throws {
        let text = """
            $ORIGIN example.
            $TTL 300
            z A 192.0.2.3
            @ NS ns
            @ SOA ns host 1 2 3 4 5
            A.b A 192.0.2.2
            a.b A 192.0.2.1
            a.b A 192.0.2.1
            ns A 192.0.2.4
            @ MX 10 Z
            """
        let records = try ZoneFileParser.parse(text)
        let written = try ZoneFileWriter.write(records)
        #expect(
            written == """
                example. 300 IN SOA ns.example. host.example. 1 2 3 4 5
                example. 300 IN NS ns.example.
                example. 300 IN MX 10 Z.example.
                A.b.example. 300 IN A 192.0.2.1
                A.b.example. 300 IN A 192.0.2.2
                ns.example. 300 IN A 192.0.2.4
                z.example. 300 IN A 192.0.2.3

                """)
        let reread = try ZoneFileParser.parse(written)
        #expect(try ZoneFileWriter.write(reread) == written)
    }
}
