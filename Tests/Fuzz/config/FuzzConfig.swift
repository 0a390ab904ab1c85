// libFuzzer entry point for the gateway's INI configuration parser, built by `scripts/fuzz config`
// from three small modules: EventLoop (SocketAddress, EventLoopError), DANE (DANEPolicy,
// ServiceProtocol) and Gateway (Sources/Gateway/Configuration), then this file.
//
// The oracle is ConfigurationFuzzing.check (Sources/Gateway/Configuration/ConfigurationFuzzing.swift):
// a file that parses is written back and must parse to an equal configuration; a file that does
// not yields problems in file order with line numbers inside the file. Any crash, hang, trap or
// precondition is a finding.
import Gateway

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    ConfigurationFuzzing.check(Array(UnsafeBufferPointer(start: data, count: count)))
    return 0
}
