import TLS

/// The client TLS contexts upstream connections share: one without ALPN, one offering
/// http/1.1 (DESIGN "Protocols"). Built once per gateway or tool, used from any loop.
public struct UpstreamTLSContexts: Sendable {
    public let plain: TLSContext
    public let http: TLSContext

    public init(trustRoots: TLSConfiguration.TrustRoots = .system) throws {
        plain = try TLSContext(.client(trustRoots: trustRoots))
        http = try TLSContext(.client(trustRoots: trustRoots, alpnProtocols: ServiceProtocol.https.alpnProtocols))
    }

    public func context(for service: ServiceProtocol) -> TLSContext {
        service.alpnProtocols.isEmpty ? plain : http
    }
}
