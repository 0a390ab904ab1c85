// libFuzzer entry point for the xmpp-client target, built by `scripts/fuzz xmpp-client` (see
// Tests/Fuzz/README.md for the sources it is compiled with).
//
// The oracle is XMPPClientOracle.check (Tests/Fuzz/Oracles, also run over this corpus by
// Tests/FuzzTests). Any crash, hang, trap or oracle violation is a finding: add it to corpus/.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXMPPClient(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    do {
        try XMPPClientOracle.check(Array(UnsafeBufferPointer(start: data, count: count)))
    } catch {
        fatalError("\(error)")
    }
    return 0
}
