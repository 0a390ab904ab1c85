// libFuzzer entry point for the SMTP STARTTLS negotiator and its reply reader, built by
// `scripts/fuzz smtp-reply` together with Sources/DANE/StartTLS and the two Policy files it needs
// into one module named DANE (hence no `import DANE`).
//
// The oracle is StartTLSFuzzing.smtp (Sources/DANE/StartTLS/StartTLSFuzzing.swift): the first
// input byte picks the chunk size (1...16), the rest is what the server sends. TLS may start only
// after a 220 greeting, a 250 EHLO reply offering STARTTLS and a 220 go-ahead with nothing after
// it, and a failed negotiator stays failed. Any crash, hang, trap or precondition is a finding.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSMTPReply(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    StartTLSFuzzing.smtp(Array(UnsafeBufferPointer(start: data, count: count)))
    return 0
}
