// libFuzzer entry point for the http-request target, built by `scripts/fuzz http-request` (see
// Tests/Fuzz/README.md for the sources it is compiled with).
//
// The oracle is HTTPRequestOracle.check (Tests/Fuzz/Oracles, also run over this corpus by
// Tests/FuzzTests). Any crash, hang, trap or oracle violation is a finding: add it to corpus/.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequest(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    do {
        try HTTPRequestOracle.check(Array(UnsafeBufferPointer(start: data, count: count)))
    } catch {
        fatalError("\(error)")
    }
    return 0
}
