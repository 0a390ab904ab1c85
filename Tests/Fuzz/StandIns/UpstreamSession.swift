// A stand-in for DANE's UpstreamSession (Sources/DANE/Connect/UpstreamHandshake.swift), which
// Sources/Gateway/FrontEnds/ClientFrontEnd.swift names, so that `scripts/fuzz xmpp-client`
// builds the front ends without the TLS and DNS modules. Only the field the front ends read.

public struct UpstreamSession {
    public let greeting: [UInt8]?
}
