import Testing

@testable import DNSWire

/// The master-file lexer (RFC 1035 §5.1): entries, parentheses, comments, quotes, escapes, limits.
@Suite struct ZoneFileLexerTests {
    /// Lexes the whole text into entries, each as its token texts (quoted ones shown as `"..."`).
    private func lex(_ text: String, limits: ZoneFileLimits = .default) throws -> [[String]] {
        try entries(text, limits: limits).map { entry in
            entry.tokens.map { token in
                let text = String(decoding: token.text, as: UTF8.self)
                return token.isQuoted ? "\"\(text)\"" : text
            }
        }
    }

    private func entries(_ text: String, limits: ZoneFileLimits = .default) throws -> [ZoneFileEntry] {
        var lexer = ZoneFileLexer(bytes: Array(text.utf8), file: "test.zone", limits: limits)
        var result: [ZoneFileEntry] = []
        while let entry = try lexer.nextEntry() { result.append(entry) }
        return result
    }

    private func lexError(_ text: String, limits: ZoneFileLimits = .default) -> ZoneFileError? {
        do {
            _ = try entries(text, limits: limits)
            return nil
        } catch {
            return error as? ZoneFileError
        }
    }

    @Test func oneEntryPerLine() throws {
        #expect(
            try lex("a 1 IN A 192.0.2.1\nb IN 2 AAAA ::1\n")
                == [["a", "1", "IN", "A", "192.0.2.1"], ["b", "IN", "2", "AAAA", "::1"]])
    }

    @Test func lastLineWithoutLineFeed() throws {
        #expect(try lex("a A 192.0.2.1") == [["a", "A", "192.0.2.1"]])
    }

    @Test func blankAndCommentLinesAreSkipped() throws {
        #expect(
            try lex("\n\n   \n; comment\n\t; indented comment\na A 1.2.3.4 ; trailing\n\n")
                == [["a", "A", "1.2.3.4"]])
    }

    @Test func emptyInputHasNoEntries() throws {
        #expect(try lex("") == [])
        #expect(try lex("; only a comment") == [])
    }

    @Test func leadingBlankOmitsOwner() throws {
        let result = try entries("a A 1.2.3.4\n  A 5.6.7.8\n\tTXT x\n")
        #expect(result.map(\.ownerOmitted) == [false, true, true])
        #expect(result[1].tokens[0].column == 3)
    }

    @Test func parenthesesJoinLines() throws {
        let text = """
            example. 3600 IN SOA ns1 bugs (
                    1 ; serial
                    2 3
                    4 5 )
            next A 1.2.3.4
            """
        #expect(
            try lex(text) == [
                ["example.", "3600", "IN", "SOA", "ns1", "bugs", "1", "2", "3", "4", "5"],
                ["next", "A", "1.2.3.4"],
            ])
    }

    @Test func ownerOmittedIsDecidedByTheFirstLineOfTheEntry() throws {
        let result = try entries("a SOA (\n x y\n) \n")
        #expect(result.count == 1)
        #expect(result[0].ownerOmitted == false)
    }

    @Test func parenthesesDelimitTokens() throws {
        #expect(try lex("a TXT(x)y") == [["a", "TXT", "x", "y"]])
    }

    @Test func nestedParentheses() throws {
        #expect(try lex("a X ( ( b\n ) c\n)\n") == [["a", "X", "b", "c"]])
    }

    @Test func quotedStringsAreOneToken() throws {
        #expect(
            try lex(#"a TXT "hello world; (not) a comment" "" x"#)
                == [["a", "TXT", #""hello world; (not) a comment""#, #""""#, "x"]])
    }

    @Test func escapedQuoteStaysInQuotedToken() throws {
        let result = try entries(#"a TXT "say \"hi\"" end"#)
        #expect(result[0].tokens[2].text == Array(#"say \"hi\""#.utf8))
        #expect(result[0].tokens[2].isQuoted)
        #expect(result[0].tokens[3].text == Array("end".utf8))
    }

    @Test func quoteEndsAnUnquotedToken() throws {
        #expect(try lex(#"a TXT ab"cd"ef"#) == [["a", "TXT", "ab", #""cd""#, "ef"]])
    }

    @Test func escapesAreKeptRawAndNeverActAsSyntax() throws {
        let result = try entries(#"a\.b\032c\;d\(e\)f\ g TXT \"x \\"#)
        #expect(
            result[0].tokens.map { String(decoding: $0.text, as: UTF8.self) } == [
                #"a\.b\032c\;d\(e\)f\ g"#, "TXT", #"\"x"#, #"\\"#,
            ])
        #expect(result[0].tokens.allSatisfy { !$0.isQuoted })
    }

    @Test func crlfLineEndings() throws {
        #expect(try lex("a A 1.2.3.4\r\nb A 5.6.7.8\r\n") == [["a", "A", "1.2.3.4"], ["b", "A", "5.6.7.8"]])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        var lexer = ZoneFileLexer(bytes: [0xEF, 0xBB, 0xBF] + Array("a A 1.2.3.4".utf8), file: "f")
        let entry = try lexer.nextEntry()
        #expect(entry?.tokens.first?.text == Array("a".utf8))
        #expect(entry?.tokens.first?.column == 1)
    }

    @Test func linesAndColumnsOfTokens() throws {
        let result = try entries("\n\na  3600 A (\n    1.2.3.4 )\n")
        let positions = result[0].tokens.map { [$0.line, $0.column] }
        #expect(positions == [[3, 1], [3, 4], [3, 9], [4, 5]])
        #expect(result[0].line == 3 && result[0].column == 1)
    }

    @Test func quotedTokenPositionIsItsOpeningQuote() throws {
        let result = try entries(#"a TXT  "x y""#)
        #expect(result[0].tokens[2].column == 8)
    }

    // MARK: errors, each with its line and column

    @Test func closeParenthesisWithoutOpenIsAnError() {
        let error = lexError("a A 1.2.3.4\nb A ) 1.2.3.4\n")
        #expect(error?.code == .unbalancedParentheses)
        #expect(error?.line == 2 && error?.column == 5)
        #expect(error?.description == "test.zone:2:5: ')' without a matching '('")
    }

    @Test func unclosedParenthesisIsAnErrorAtTheOpening() {
        let error = lexError("a A 1.2.3.4\nb SOA x y (\n 1 2 3\n")
        #expect(error?.code == .unbalancedParentheses)
        #expect(error?.line == 2 && error?.column == 11)
    }

    @Test func unterminatedQuoteOnItsLine() {
        let error = lexError("a TXT \"abc\nb A 1.2.3.4\n")
        #expect(error?.code == .unterminatedQuotedString)
        #expect(error?.line == 1 && error?.column == 7)
    }

    @Test func unterminatedQuoteAtEndOfFile() {
        let error = lexError("a TXT \"abc")
        #expect(error?.code == .unterminatedQuotedString)
        #expect(error?.line == 1 && error?.column == 7)
    }

    @Test func backslashAtEndOfFile() {
        let error = lexError("a TXT abc\\")
        #expect(error?.code == .danglingEscape)
        #expect(error?.line == 1 && error?.column == 10)
    }

    @Test func tokenTooLong() {
        let limits = ZoneFileLimits(maxTokenBytes: 8)
        #expect(lexError("a TXT 12345678", limits: limits) == nil)
        let error = lexError("a TXT 123456789", limits: limits)
        #expect(error?.code == .tokenTooLong)
        #expect(error?.column == 7)
        #expect(lexError("a TXT \"123456789\"", limits: limits)?.code == .tokenTooLong)
    }

    @Test func entryTooLong() {
        let limits = ZoneFileLimits(maxEntryBytes: 64)
        let long = "a TXT (\n" + String(repeating: "x ", count: 40) + ")\n"
        #expect(lexError(long, limits: limits)?.code == .entryTooLong)
        // Many short entries are fine.
        #expect(lexError(String(repeating: "a TXT x\n", count: 100), limits: limits) == nil)
    }

    @Test func tooManyTokens() {
        let limits = ZoneFileLimits(maxTokensPerEntry: 4)
        #expect(lexError("a 1 IN A", limits: limits) == nil)
        #expect(lexError("a 1 IN A x", limits: limits)?.code == .tooManyTokens)
    }

    /// Every prefix of a valid file either lexes or fails with a clean error: never a crash or hang.
    @Test func everyPrefixEndsCleanly() {
        let text = Array(
            "$ORIGIN ex.\n@ 1h IN SOA ns (\n 1 ; c\n 2 3 4 5 )\n a TXT \"q\\\"uote\" x\\;y\n".utf8)
        for length in 0...text.count {
            var lexer = ZoneFileLexer(bytes: Array(text[..<length]), file: "p")
            var count = 0
            do {
                while try lexer.nextEntry() != nil { count += 1 }
            } catch {
                count = -1
            }
            #expect(count <= 4)
        }
    }
}
