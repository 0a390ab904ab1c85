// libFuzzer entry point for the XMPP STARTTLS negotiator and its XML tag scanner, built by
// `scripts/fuzz xmpp-stream` together with Sources/DANE/StartTLS and the two Policy files it
// needs into one module named DANE (hence no `import DANE`).
//
// The oracle is StartTLSFuzzing.xmpp (Sources/DANE/StartTLS/StartTLSFuzzing.swift): the first
// input byte picks the chunk size (1...16), the rest is what the server sends. TLS may start only
// right after a `<proceed/>` (nothing after it), and a failed negotiator stays failed. Any crash,
// hang, trap or precondition is a finding.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXMPPStream(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    StartTLSFuzzing.xmpp(Array(UnsafeBufferPointer(start: data, count: count)))
    return 0
}
