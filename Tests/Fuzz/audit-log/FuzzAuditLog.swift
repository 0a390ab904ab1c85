// libFuzzer entry point for the audit-log target, built by `scripts/fuzz audit-log` (see
// Tests/Fuzz/README.md for the sources it is compiled with).
//
// The oracle is AuditLogOracle.check (Tests/Fuzz/Oracles, also run over this corpus by
// Tests/FuzzTests). Any crash, hang, trap or oracle violation is a finding: add it to corpus/.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAuditLog(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    do {
        try AuditLogOracle.check(Array(UnsafeBufferPointer(start: data, count: count)))
    } catch {
        fatalError("\(error)")
    }
    return 0
}
