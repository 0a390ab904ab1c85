import FuzzOracles
import Testing

@testable import DANE

/// Drives a negotiator with the server's bytes, answering what it sends, and returns the steps.
private func drive<N: StartTLSNegotiator>(_ negotiator: inout N, chunks: [[UInt8]]) -> [NegotiationStep] {
    var steps = [negotiator.start()]
    for chunk in chunks {
        let step = negotiator.receive(chunk)
        steps.append(step)
        if case .failed = step { break }
        if case .startTLS = step { break }
    }
    return steps
}

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Splits `text` at `point` into two chunks (every split point of a drip-feed).
private func split(_ text: String, at point: Int) -> [[UInt8]] {
    let all = bytes(text)
    return [Array(all[..<point]), Array(all[point...])].filter { !$0.isEmpty }
}

@Suite struct SMTPStartTLSTests {
    static let greeting = "220-mx.example ESMTP\r\n220 second line\r\n"
    static let ehloReply = "250-mx.example hello\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250 8BITMIME\r\n"

    @Test func fullExchangeAtEverySplitPoint() {
        for (index, message) in [Self.greeting, Self.ehloReply, "220 2.0.0 Ready to start TLS\r\n"].enumerated() {
            for point in 0..<bytes(message).count {
                var negotiator = SMTPStartTLS(clientName: "client.example")
                var final: NegotiationStep = .wait
                var sent: [[UInt8]] = []
                let messages = [Self.greeting, Self.ehloReply, "220 2.0.0 Ready to start TLS\r\n"]
                for (other, text) in messages.enumerated() {
                    let chunks = other == index ? split(text, at: point) : [bytes(text)]
                    for chunk in chunks {
                        final = negotiator.receive(chunk)
                        if case .send(let out) = final { sent.append(out) }
                    }
                }
                #expect(final == .startTLS, "message \(index) split at \(point)")
                #expect(sent == [bytes("EHLO client.example\r\n"), bytes("STARTTLS\r\n")])
                #expect(negotiator.greeting?.lines == ["mx.example ESMTP", "second line"])
            }
        }
    }

    /// RFC 5321 §2.4: keywords are ASCII, case-insensitive in ASCII only. Unicode look-alikes
    /// that full upper-casing would fold into "STARTTLS" are not STARTTLS (found by reading the
    /// fuzz target's code).
    @Test(arguments: ["250-ſtarttlſ\r\n250 8BITMIME\r\n", "250-ﬆarttls\r\n250 8BITMIME\r\n"])
    func unicodeLookAlikesAreNotStartTLS(_ extensions: String) {
        var negotiator = SMTPStartTLS()
        _ = negotiator.receive(bytes(Self.greeting))
        let step = negotiator.receive(bytes("250-mx.example hello\r\n" + extensions))
        guard case .failed(let failure) = step else { Issue.record("accepted \(extensions): \(step)"); return }
        #expect(failure.reason == .starttlsNotSupported)
    }

    @Test func lowerCaseStartTLSIsAccepted() {
        var negotiator = SMTPStartTLS()
        _ = negotiator.receive(bytes(Self.greeting))
        #expect(negotiator.receive(bytes("250-mx.example hello\r\n250 starttls\r\n")) == .send(bytes("STARTTLS\r\n")))
    }

    @Test func byteByByte() {
        var negotiator = SMTPStartTLS()
        var steps: [NegotiationStep] = []
        for text in [Self.greeting, Self.ehloReply, "220 go\r\n"] {
            for byte in bytes(text) {
                let step = negotiator.receive([byte])
                if step != .wait { steps.append(step) }
            }
        }
        #expect(steps.count == 3)
        #expect(steps.last == .startTLS)
    }

    @Test func noSTARTTLSOffered() {
        var negotiator = SMTPStartTLS()
        let steps = drive(&negotiator, chunks: [bytes("220 hi\r\n"), bytes("250-hello\r\n250 PIPELINING\r\n")])
        guard case .failed(let failure) = steps.last else { Issue.record("no failure: \(steps)"); return }
        #expect(failure.reason == .starttlsNotSupported)
    }

    @Test func injectionAfterGoAhead() {
        var negotiator = SMTPStartTLS()
        let steps = drive(&negotiator, chunks: [
            bytes("220 hi\r\n"), bytes(Self.ehloReply), bytes("220 go ahead\r\n250 injected\r\n"),
        ])
        guard case .failed(let failure) = steps.last else { Issue.record("no failure: \(steps)"); return }
        #expect(failure.reason == .starttlsInjection)
    }

    @Test func laterBytesAreInjectionToo() {
        var negotiator = SMTPStartTLS()
        _ = drive(&negotiator, chunks: [bytes("220 hi\r\n"), bytes(Self.ehloReply), bytes("220 go\r\n")])
        guard case .failed(let failure) = negotiator.receive(bytes("x")) else { Issue.record("accepted"); return }
        #expect(failure.reason == .starttlsInjection)
    }

    @Test(arguments: [
        "554 no service\r\n",
        "garbage\r\n",
        "22\r\n",
        "220-a\r\n221 b\r\n",
        "220x\r\n",
        String(repeating: "2", count: 5000),
    ])
    func hostileGreetings(_ text: String) {
        var negotiator = SMTPStartTLS()
        let step = negotiator.receive(bytes(text))
        guard case .failed(let failure) = step else { Issue.record("accepted \(text.prefix(20)): \(step)"); return }
        #expect(failure.reason == .starttlsNotSupported)
    }

    @Test func overlongReplyIsBounded() {
        var negotiator = SMTPStartTLS()
        _ = negotiator.receive(bytes("220 hi\r\n"))
        var step: NegotiationStep = .wait
        for _ in 0..<200 where step == .wait {
            step = negotiator.receive(bytes("250-EXTENSION\r\n"))
        }
        guard case .failed = step else { Issue.record("unbounded reply"); return }
    }

    @Test func refusedSTARTTLSAndEarlyClose() {
        var negotiator = SMTPStartTLS()
        let steps = drive(&negotiator, chunks: [bytes("220 hi\r\n"), bytes(Self.ehloReply), bytes("454 TLS not available\r\n")])
        guard case .failed(let failure) = steps.last else { Issue.record("no failure"); return }
        #expect(failure.reason == .starttlsNotSupported)
        var closing = SMTPStartTLS()
        _ = closing.receive(bytes("220 hi\r\n"))
        guard case .failed = closing.receiveEndOfStream() else { Issue.record("end of stream accepted"); return }
    }
}

@Suite struct XMPPStartTLSTests {
    static let header = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='x1' from='good.test' version='1.0' xml:lang='en'>"
    static let features = "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>"

    @Test func opensTheStreamToTheDomain() {
        var negotiator = XMPPStartTLS(domain: "good.test")
        guard case .send(let header) = negotiator.start() else { Issue.record("no header"); return }
        #expect(String(decoding: header, as: UTF8.self).contains("to='good.test'"))
    }

    @Test func fullExchangeAtEverySplitPoint() {
        let server = Self.header + Self.features
        for point in 0..<bytes(server).count {
            var negotiator = XMPPStartTLS(domain: "good.test")
            _ = negotiator.start()
            var sent: NegotiationStep = .wait
            for chunk in split(server, at: point) {
                let step = negotiator.receive(chunk)
                if step != .wait { sent = step }
            }
            #expect(sent == .send(bytes("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")), "split at \(point)")
            let proceed = "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
            var final: NegotiationStep = .wait
            for byte in bytes(proceed) { final = negotiator.receive([byte]) }
            #expect(final == .startTLS)
        }
    }

    @Test func longFormProceed() {
        var negotiator = XMPPStartTLS(domain: "good.test")
        let steps = drive(&negotiator, chunks: [
            bytes(Self.header + Self.features), bytes("<proceed xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"></proceed>"),
        ])
        #expect(steps.last == .startTLS)
    }

    @Test func noStartTLSFeature() {
        var negotiator = XMPPStartTLS(domain: "good.test")
        let steps = drive(&negotiator, chunks: [bytes(Self.header + "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>")])
        guard case .failed(let failure) = steps.last else { Issue.record("no failure"); return }
        #expect(failure.reason == .starttlsNotSupported)
    }

    @Test func starttlsInAnotherNamespaceDoesNotCount() {
        var negotiator = XMPPStartTLS(domain: "good.test")
        let steps = drive(&negotiator, chunks: [bytes(Self.header + "<stream:features><starttls xmlns='urn:evil'/></stream:features>")])
        guard case .failed = steps.last else { Issue.record("accepted"); return }
    }

    @Test func injectionAfterProceed() {
        var negotiator = XMPPStartTLS(domain: "good.test")
        let steps = drive(&negotiator, chunks: [
            bytes(Self.header + Self.features), bytes("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><message>hi</message>"),
        ])
        guard case .failed(let failure) = steps.last else { Issue.record("no failure: \(steps)"); return }
        #expect(failure.reason == .starttlsInjection)
    }

    @Test(arguments: [
        "<stream:stream><stream:error><host-unknown/></stream:error>",
        "<stream:stream></stream:stream>",
        "<html><body>",
        "<stream:stream><stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:features><failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
        "<stream:stream a=b>",
        "<stream:stream a='b>",
    ])
    func hostileStreams(_ text: String) {
        var negotiator = XMPPStartTLS(domain: "good.test")
        _ = negotiator.start()
        var step = negotiator.receive(bytes(text))
        if step == .send(bytes("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")) { step = .wait }
        if step == .wait { step = negotiator.receiveEndOfStream() }
        guard case .failed = step else { Issue.record("accepted \(text): \(step)"); return }
    }

    @Test func unboundedTagIsRefused() {
        var negotiator = XMPPStartTLS(domain: "good.test")
        _ = negotiator.start()
        var step = negotiator.receive(bytes("<stream:stream "))
        for _ in 0..<100 where step == .wait {
            step = negotiator.receive([UInt8](repeating: UInt8(ascii: "a"), count: 1000))
        }
        guard case .failed = step else { Issue.record("unbounded"); return }
    }

    @Test func textBetweenTagsIsSkippedAndBounded() {
        var negotiator = XMPPStartTLS(domain: "good.test")
        _ = negotiator.start()
        var step = negotiator.receive(bytes(Self.header))
        for _ in 0..<200 where step == .wait {
            step = negotiator.receive([UInt8](repeating: UInt8(ascii: " "), count: 1000))
        }
        #expect(step == .wait)  // whitespace is dropped as it comes: nothing accumulates
    }
}

/// A deterministic mini-fuzz of both negotiators in the unit tests (libFuzzer runs the same
/// oracles for longer).
@Suite struct StartTLSFuzzTests {
    /// xorshift64, seeded: the same inputs on every run.
    private struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    private static let smtpPieces = ["220 ", "220-", "250-", "250 ", "STARTTLS", "PIPELINING", "\r\n", "\n", "554 ", "x", "2", "\r"]
    private static let xmppPieces = [
        "<stream:stream>", "<stream:features>", "</stream:features>", "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>",
        "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", "<proceed>", "</proceed>", "<!--", "-->", "<?xml?>", "'", "<",
        ">", "/", " a='b'", "junk",
    ]

    private func inputs(_ pieces: [String], seed: UInt64) -> [[UInt8]] {
        var generator = Generator(state: seed)
        var result: [[UInt8]] = []
        for _ in 0..<3000 {
            var input: [UInt8] = [UInt8(truncatingIfNeeded: generator.next())]
            for _ in 0..<Int(generator.next() % 24) {
                let value = generator.next()
                if value % 7 == 0 {
                    input.append(UInt8(truncatingIfNeeded: value >> 8))
                } else {
                    input += Array(pieces[Int(value % UInt64(pieces.count))].utf8)
                }
            }
            result.append(input)
        }
        return result
    }

    @Test func smtpOracleHolds() {
        for input in inputs(Self.smtpPieces, seed: 0x5EED_0001) { #expect(throws: Never.self) { try StartTLSOracle.smtp(input) } }
    }

    @Test func xmppOracleHolds() {
        for input in inputs(Self.xmppPieces, seed: 0x5EED_0002) { #expect(throws: Never.self) { try StartTLSOracle.xmpp(input) } }
    }
}
