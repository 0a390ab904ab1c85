// libFuzzer entry point for the zone-file parser, built by `scripts/fuzz zone-file` together
// with the DNSWire sources and Tests/Fuzz/Oracles/ZoneFileOracle.swift into one module (hence
// no `import DNSWire`).
//
// The oracle is ZoneFileOracle.check (Tests/Fuzz/Oracles, also run over this corpus by
// Tests/FuzzTests): parsing arbitrary bytes either fails with a ZoneFileError or gives records
// that the writer prints as a zone which parses again to the same RRsets. Any crash, hang, trap
// or oracle violation is a finding: add it to corpus/.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZoneFile(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    do {
        try ZoneFileOracle.check(Array(UnsafeBufferPointer(start: data, count: count)))
    } catch {
        fatalError("\(error)")
    }
    return 0
}
