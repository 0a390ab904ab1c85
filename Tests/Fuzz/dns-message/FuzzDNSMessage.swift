// libFuzzer entry point for DNS message decoding (issue 3), built by `scripts/fuzz dns-message`
// together with the DNSWire sources into one module (hence no `import DNSWire`).
//
// The oracle is MessageFuzzing.roundTrip (Sources/DNSWire/Message/MessageFuzzing.swift, shared
// with the unit tests): decoding arbitrary bytes either fails with a DNSWireError or gives a
// message that encodes, decodes again to an equal message, and re-encodes to the same bytes.
// Any crash, hang or trap is a finding.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDNSMessage(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    MessageFuzzing.roundTrip(Array(UnsafeBufferPointer(start: data, count: count)))
    return 0
}
