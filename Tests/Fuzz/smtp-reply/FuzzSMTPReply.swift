// libFuzzer entry point for the SMTP STARTTLS negotiator and its reply reader, built by
// `scripts/fuzz smtp-reply` together with Sources/DANE/StartTLS, the two Policy files it needs
// and Tests/Fuzz/Oracles/StartTLSOracle.swift into one module named DANE (hence no `import DANE`).
//
// The oracle is StartTLSOracle.smtp (Tests/Fuzz/Oracles, also run over this corpus by
// Tests/FuzzTests): the first input byte picks the chunk size (1...16), the rest is what the
// server sends. TLS may start only after an EHLO reply offering STARTTLS and a 220 go-ahead
// with nothing after it, and a failed negotiator stays failed. Any crash, hang, trap or oracle
// violation is a finding: add it to corpus/.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSMTPReply(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    do {
        try StartTLSOracle.smtp(Array(UnsafeBufferPointer(start: data, count: count)))
    } catch {
        fatalError("\(error)")
    }
    return 0
}
