import DANE
import EventLoop
import Gateway
import Logging
import Testing

/// The human line per connection, in Postfix's words, through swift-log.
@Suite struct ConnectionLogTests {
    /// Collects the handler's lines.
    final class Lines: @unchecked Sendable {
        private let lock = Lock()
        private var stored: [String] = []
        func append(_ line: String) { lock.withLock { stored.append(line) } }
        var all: [String] { lock.withLock { stored } }
    }

    private func logger(level: Logger.Level, into lines: Lines) -> Logger {
        Logger(label: "danegate") { label in
            PostfixLogHandler(label: label, level: level) { lines.append($0) }
        }
    }

    @Test func verifiedInPostfixWords() {
        #expect(ConnectionLog.message(for: AuditRecordJSONTests.verified) == """
            Verified TLS connection established to mail.example.org[192.0.2.1]:25: TLSv1.3 with cipher \
            TLS_AES_256_GCM_SHA384, TLSA 3 1 1 matched at depth 0 (up 1234, down 5678 bytes, 91 ms)
            """)
        #expect(ConnectionLog.level(for: AuditRecordJSONTests.verified) == .info)
    }

    @Test func unauthenticatedSaysWhy() {
        var record = AuditRecordJSONTests.verified
        record.verdict = .unauthenticated
        record.reason = .dane(.noTLSA)
        record.match = nil
        #expect(ConnectionLog.message(for: record) == """
            Untrusted TLS connection established to mail.example.org[192.0.2.1]:25: TLSv1.3 with cipher \
            TLS_AES_256_GCM_SHA384 (not authenticated: no-tlsa) (up 1234, down 5678 bytes, 91 ms)
            """)
        #expect(ConnectionLog.level(for: record) == .notice)
    }

    @Test func refusalsGiveTheReason() {
        var record = AuditRecordJSONTests.verified
        record.verdict = .refused
        record.reason = .dane(.daneNoMatch)
        record.match = nil
        #expect(ConnectionLog.message(for: record)
            == "Untrusted TLS connection to mail.example.org[192.0.2.1]:25 refused: dane-no-match")
        #expect(ConnectionLog.level(for: record) == .warning)

        #expect(ConnectionLog.message(for: AuditRecordJSONTests.refusedEarly)
            == "Connection to [mail-out] refused: tlsa-bogus")
        var known = AuditRecordJSONTests.refusedEarly
        known.target = "[2001:db8::25]:25"
        #expect(ConnectionLog.message(for: known) == "Connection to [2001:db8::25]:25 refused: tlsa-bogus")
        known.address = "[2001:db8::25]:25"
        known.target = "mx.example.org:25"
        #expect(ConnectionLog.message(for: known) == "Connection to mx.example.org[2001:db8::25]:25 refused: tlsa-bogus")

        var outsider = AuditRecordJSONTests.refusedEarly
        outsider.reason = .clientNotAllowed
        outsider.client = "192.0.2.99:5000"
        #expect(ConnectionLog.message(for: outsider) == "Connection from 192.0.2.99:5000 refused: client-not-allowed")
    }

    @Test func errorsSayWhatFailed() {
        var record = AuditRecordJSONTests.refusedEarly
        record.verdict = .error
        record.reason = .dane(.upstreamUnreachable)
        record.target = "irc.example.net:6697"
        #expect(ConnectionLog.message(for: record)
            == "Connection to irc.example.net:6697 failed: upstream-unreachable (up 0, down 0 bytes, 0 ms)")
        #expect(ConnectionLog.level(for: record) == .error)
    }

    @Test func handlerPrintsOneLineWithTheConnectionsMetadata() throws {
        let lines = Lines()
        logger(level: .info, into: lines).logConnection(AuditRecordJSONTests.verified)
        var refused = AuditRecordJSONTests.refusedEarly
        refused.client = "127.0.0.1:40114"
        logger(level: .info, into: lines).logConnection(refused)
        let printed = lines.all
        #expect(printed.count == 2)
        let first = try #require(printed.first)
        // time, [service], connection id, client, then the sentence.
        #expect(first.hasSuffix(
            " [mail-out] c42 127.0.0.1:40112: Verified TLS connection established to mail.example.org[192.0.2.1]:25: "
                + "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384, TLSA 3 1 1 matched at depth 0 (up 1234, down 5678 bytes, 91 ms)\n"))
        #expect(RFC3339Time.parse(Array(first.utf8.prefix(24))) != nil)
        #expect(printed[1].hasSuffix(" [mail-out] c43 127.0.0.1:40114: warning: Connection to [mail-out] refused: tlsa-bogus\n"))
    }

    @Test func logLevelIsHonoured() {
        let lines = Lines()
        let quiet = logger(level: LogLevel.warning.loggerLevel, into: lines)
        quiet.logConnection(AuditRecordJSONTests.verified)  // info: dropped
        quiet.logConnection(AuditRecordJSONTests.refusedEarly)  // warning: printed
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.contains("refused: tlsa-bogus") == true)
    }

    @Test func otherMetadataAndNewlines() {
        let line = PostfixLogHandler.line(
            level: .error, message: "server said\r\n554 go away", metadata: ["service": "s", "zeta": "1", "alpha": "2"],
            time: "T")
        #expect(line == "T [s]: error: server said  554 go away alpha=2 zeta=1\n")
    }

    @Test func everyConfigLevelMapsToTheSameName() {
        for level in LogLevel.allCases {
            #expect(level.loggerLevel.rawValue == level.rawValue)
        }
    }
}

/// The one call per finished connection: a log line and an audit record from the same record.
@Suite struct ConnectionRecorderTests {
    final class Collected: AuditSink, @unchecked Sendable {
        private let lock = Lock()
        private var stored: [(AuditRecord, DANEPolicy)] = []
        func record(_ record: AuditRecord, policy: DANEPolicy) { lock.withLock { stored.append((record, policy)) } }
        var all: [(AuditRecord, DANEPolicy)] { lock.withLock { stored } }
    }

    @Test func finishedLogsAndAudits() {
        let lines = ConnectionLogTests.Lines()
        let sink = Collected()
        let logger = Logger(label: "danegate") { PostfixLogHandler(label: $0) { lines.append($0) } }
        let recorder = ConnectionRecorder(logger: logger, audit: sink)
        recorder.finished(AuditRecordJSONTests.refusedEarly, policy: .opportunistic)
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.contains("refused: tlsa-bogus") == true)
        #expect(sink.all.count == 1)
        #expect(sink.all.first?.0 == AuditRecordJSONTests.refusedEarly)
        #expect(sink.all.first?.1 == .opportunistic)
    }
}
