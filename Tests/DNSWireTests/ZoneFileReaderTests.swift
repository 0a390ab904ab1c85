import Testing

@testable import DNSWire

/// Control entries ($ORIGIN, $TTL, $INCLUDE) and TTL syntax.
@Suite struct ZoneFileReaderTests {
    /// The events of `main` with `files` available to `$INCLUDE`, rendered as short strings.
    private func events(_ files: [String: String], main: String = "main", limits: ZoneFileLimits = .default)
        throws -> [String]
    {
        var reader = try ZoneFileReader(
            path: main, source: InMemoryZoneFileSource(files: files), limits: limits)
        var result: [String] = []
        while let event = try reader.next() {
            switch event {
            case .record(let entry):
                let text = entry.tokens.map { String(decoding: $0.text, as: UTF8.self) }
                result.append("\(reader.currentFile): " + text.joined(separator: " "))
            case .origin(let token):
                result.append("origin " + String(decoding: token.text, as: UTF8.self))
            case .defaultTTL(let ttl):
                result.append("ttl \(ttl)")
            case .includeBegin(let file, let origin):
                result.append(
                    "include \(file)" + (origin.map { " " + String(decoding: $0.text, as: UTF8.self) } ?? ""))
            case .includeEnd:
                result.append("end")
            }
        }
        return result
    }

    private func readerError(_ files: [String: String], limits: ZoneFileLimits = .default) -> ZoneFileError? {
        do {
            _ = try events(files, limits: limits)
            return nil
        } catch {
            return error as? ZoneFileError
        }
    }

    @Test func controlEntries() throws {
        let files = [
            "main": "$ORIGIN example.\n$ttl 1h30m\n@ A 1.2.3.4\n$INCLUDE sub sub.example. ; comment\nb A 5.6.7.8\n",
            "sub": "c A 9.9.9.9\n",
        ]
        #expect(
            try events(files) == [
                "origin example.", "ttl 5400", "main: @ A 1.2.3.4", "include sub sub.example.",
                "sub: c A 9.9.9.9", "end", "main: b A 5.6.7.8",
            ])
    }

    @Test func indentedDollarIsNotADirective() throws {
        #expect(try events(["main": "a A 1.2.3.4\n $x TXT y\n"]) == ["main: a A 1.2.3.4", "main: $x TXT y"])
    }

    @Test func includeFileNameMayBeQuotedAndEscaped() throws {
        let files = ["main": "$INCLUDE \"my file\"\n$INCLUDE my\\032file\n", "my file": "a A 1.1.1.1\n"]
        #expect(
            try events(files) == [
                "include my file", "my file: a A 1.1.1.1", "end", "include my file", "my file: a A 1.1.1.1",
                "end",
            ])
    }

    @Test func includeLoopIsAnError() {
        let error = readerError(["main": "a A 1.2.3.4\n$INCLUDE other\n", "other": "\n$INCLUDE main\n"])
        #expect(error?.code == .includeLoop)
        #expect(error?.file == "other" && error?.line == 2 && error?.column == 10)
    }

    @Test func includeSelfIsAnError() {
        let error = readerError(["main": "$INCLUDE main\n"])
        #expect(error?.code == .includeLoop)
        #expect(error?.description == "main:1:10: 'main' includes itself")
    }

    @Test func includeDepthIsLimited() {
        var files: [String: String] = ["main": "$INCLUDE f1\n"]
        for i in 1...10 { files["f\(i)"] = "$INCLUDE f\(i + 1)\n" }
        files["f11"] = "a A 1.2.3.4\n"
        let error = readerError(files, limits: ZoneFileLimits(maxIncludeDepth: 4))
        #expect(error?.code == .includeTooDeep)
        #expect(error?.file == "f4" && error?.line == 1)
        // Within the limit it loads.
        #expect(readerError(files, limits: ZoneFileLimits(maxIncludeDepth: 11)) == nil)
    }

    @Test func includeFanOutIsLimited() {
        let files = ["main": String(repeating: "$INCLUDE leaf\n", count: 5), "leaf": "a A 1.2.3.4\n"]
        #expect(readerError(files, limits: ZoneFileLimits(maxIncludes: 5)) == nil)
        #expect(readerError(files, limits: ZoneFileLimits(maxIncludes: 4))?.code == .tooManyIncludes)
    }

    @Test func missingIncludeIsAnError() {
        let error = readerError(["main": "\n  \n$INCLUDE nowhere\n"])
        #expect(error?.code == .includeUnreadable)
        #expect(error?.line == 3 && error?.column == 10)
    }

    @Test func errorsInIncludedFilesNameThatFile() {
        let error = readerError(["main": "$INCLUDE sub\n", "sub": "a A 1.2.3.4\nb TXT \"open\n"])
        #expect(error?.code == .unterminatedQuotedString)
        #expect(error?.description == "sub:2:7: quoted string not closed on its line")
    }

    @Test func badDirectives() {
        #expect(readerError(["main": "$ORIGIN\n"])?.code == .badDirective)
        #expect(readerError(["main": "$ORIGIN a. b.\n"])?.code == .badDirective)
        #expect(readerError(["main": "$TTL\n"])?.code == .badDirective)
        #expect(readerError(["main": "$INCLUDE\n"])?.code == .badDirective)
        #expect(readerError(["main": "$INCLUDE a b c\n"])?.code == .badDirective)
        let generate = readerError(["main": "a A 1.2.3.4\n$GENERATE 1-2 x A 1.2.3.$\n"])
        #expect(generate?.code == .unknownDirective)
        #expect(generate?.line == 2 && generate?.column == 1)
    }

    @Test func badTTLDirective() {
        let error = readerError(["main": "$TTL 1x\n"])
        #expect(error?.code == .badTTL)
        #expect(error?.description == "main:1:6: bad TTL '1x'")
    }

    @Test func ttlSyntax() {
        #expect(ZoneTTL.parse(Array("0".utf8)) == 0)
        #expect(ZoneTTL.parse(Array("3600".utf8)) == 3600)
        #expect(ZoneTTL.parse(Array("1h30m".utf8)) == 5400)
        let mixed: UInt32 = 604_800 + 2 * 86_400 + 3 * 3600 + 4 * 60 + 5
        #expect(ZoneTTL.parse(Array("1W2d3H4m5S".utf8)) == mixed)
        #expect(ZoneTTL.parse(Array("2147483647".utf8)) == 2_147_483_647)
        #expect(ZoneTTL.parse(Array("2147483648".utf8)) == nil)  // RFC 2181 §8
        #expect(ZoneTTL.parse(Array("99999999999999999999999".utf8)) == nil)
        #expect(ZoneTTL.parse(Array("4000w".utf8)) == nil)
        #expect(ZoneTTL.parse(Array("1h30".utf8)) == nil)
        #expect(ZoneTTL.parse(Array("h".utf8)) == nil)
        #expect(ZoneTTL.parse(Array("1hh".utf8)) == nil)
        #expect(ZoneTTL.parse(Array("".utf8)) == nil)
        #expect(ZoneTTL.parse(Array("-1".utf8)) == nil)
        #expect(ZoneTTL.parse(Array("1y".utf8)) == nil)
    }
}
