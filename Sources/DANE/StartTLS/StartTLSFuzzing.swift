/// Fuzz oracles for the STARTTLS negotiators (DESIGN "Tests and peers": fuzz entry points for
/// the SMTP reply and XMPP stream parsers). Each feeds arbitrary server bytes, split where the
/// first byte says, and checks the invariants; bad input may only ever end in `.failed`. It
/// needs only the files of StartTLS/ plus Policy/DANEReason.swift and Policy/ServiceProtocol.swift,
/// so a libFuzzer build can compile them alone.
public enum StartTLSFuzzing {
    /// SMTP: the negotiator never asks for TLS unless the input held a 220 greeting, a 250
    /// EHLO reply offering STARTTLS and a 220 go-ahead with nothing after it; once failed it
    /// stays failed.
    public static func smtp(_ input: [UInt8]) {
        var negotiator = SMTPStartTLS()
        run(&negotiator, input) { step, consumed in
            if step == .startTLS {
                let text = String(decoding: consumed, as: UTF8.self).uppercased()
                precondition(text.contains("STARTTLS"), "TLS started without STARTTLS offered")
                precondition(consumed.last == 0x0A, "TLS started with bytes after the go-ahead")
            }
        }
    }

    /// XMPP: TLS starts only after a `proceed` tag ended the input consumed so far.
    public static func xmpp(_ input: [UInt8]) {
        var negotiator = XMPPStartTLS(domain: "fuzz.example")
        run(&negotiator, input) { step, consumed in
            if step == .startTLS {
                precondition(String(decoding: consumed, as: UTF8.self).contains("proceed"), "TLS started without <proceed/>")
                precondition(consumed.last == UInt8(ascii: ">"), "TLS started with bytes after <proceed/>")
            }
        }
    }

    private static func run<N: StartTLSNegotiator>(
        _ negotiator: inout N, _ input: [UInt8], check: (NegotiationStep, ArraySlice<UInt8>) -> Void
    ) {
        guard let first = input.first else { return }
        let chunk = Int(first % 16) + 1
        var offset = 1
        var failed = false
        _ = negotiator.start()
        while offset < input.count {
            let end = min(input.count, offset + chunk)
            let step = negotiator.receive(Array(input[offset..<end]))
            check(step, input[1..<end])
            if failed {
                if case .failed = step {} else { preconditionFailure("a failed negotiator recovered: \(step)") }
            }
            switch step {
            case .failed: failed = true
            case .startTLS: return
            case .send, .wait: break
            }
            offset = end
        }
        _ = negotiator.receiveEndOfStream()
    }
}
