// libFuzzer entry point for DNS message decoding (issue 3), built by `scripts/fuzz dns-message`
// together with the DNSWire sources and Tests/Fuzz/Oracles/DNSMessageOracle.swift into one
// module (hence no `import DNSWire`).
//
// The oracle is DNSMessageOracle.check (Tests/Fuzz/Oracles, also run over this corpus by
// Tests/FuzzTests): decoding arbitrary bytes either fails with a DNSWireError or gives a
// message that encodes, decodes again to an equal message, and re-encodes to the same bytes.
// Any crash, hang, trap or oracle violation is a finding: add it to corpus/.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDNSMessage(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    do {
        try DNSMessageOracle.check(Array(UnsafeBufferPointer(start: data, count: count)))
    } catch {
        fatalError("\(error)")
    }
    return 0
}
