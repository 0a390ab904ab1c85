// libFuzzer entry point for the gateway's INI configuration parser, built by `scripts/fuzz config`
// from three small modules: EventLoop (SocketAddress, EventLoopError), DANE (DANEPolicy,
// ServiceProtocol) and Gateway (Sources/Gateway/Configuration), then this file with its oracle.
//
// The oracle is ConfigurationOracle.check (Tests/Fuzz/Oracles, also run over this corpus by
// Tests/FuzzTests): a file that parses is written back and must parse to an equal configuration;
// a file that does not yields problems in file order with line numbers inside the file. Any
// crash, hang, trap or oracle violation is a finding: add it to corpus/.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    do {
        try ConfigurationOracle.check(Array(UnsafeBufferPointer(start: data, count: count)))
    } catch {
        fatalError("\(error)")
    }
    return 0
}
