import DANE

extension GatewayConfiguration {
    /// The configuration written back as an INI file that parses to an equal value: every key
    /// spelled out, durations in milliseconds. The fuzz oracle's second half, and a way to show
    /// the effective configuration with its defaults.
    public func renderedINI() -> String {
        var lines: [String] = []
        if !global.resolvers.isEmpty {
            lines.append("resolver = " + global.resolvers.map(\.description).joined(separator: ", "))
        }
        switch global.dnssec {
        case .validate(let trustAnchor): lines.append("trust-anchor = \(trustAnchor)")
        case .trustAD: lines.append("dnssec = trust-ad")
        }
        if let auditLog = global.auditLog { lines.append("audit-log = \(auditLog)") }
        lines.append("log-level = \(global.logLevel.rawValue)")
        if let workers = global.workers { lines.append("workers = \(workers)") }
        lines.append("drain-timeout = \(Self.render(global.drainTimeout))")
        if let metrics = global.metrics { lines.append("metrics = \(metrics)") }
        for service in services {
            lines.append("")
            lines.append("[\(service.name)]")
            lines.append("accept = \(service.accept)")
            lines.append("connect = \(Self.render(service.connect))")
            lines.append("protocol = \(service.serviceProtocol == .https ? "http" : service.serviceProtocol.rawValue)")
            lines.append("dane = \(service.dane.rawValue)")
            if service.serviceProtocol == .smtp { lines.append("helo = \(service.helo)") }
            if let sni = service.sni { lines.append("sni = \(sni)") }
            lines.append("dane-ee-namechecks = \(service.daneEENameChecks ? "yes" : "no")")
            if let allow = service.allow, !allow.isEmpty {
                lines.append("allow = " + allow.map(\.description).joined(separator: ", "))
            }
            lines.append("max-connections = \(service.maxConnections)")
            lines.append("connect-timeout = \(Self.render(service.connectTimeout))")
            lines.append("handshake-timeout = \(Self.render(service.handshakeTimeout))")
            lines.append("idle-timeout = \(service.idleTimeout.map(Self.render) ?? "none")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func render(_ target: ConnectTarget) -> String {
        switch target {
        case .host(let host, let port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .mx(let domain, let port): "mx:\(domain):\(port)"
        case .srv(let domain): "srv:\(domain)"
        case .srvFromClient: "srv:*"
        }
    }

    static func render(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return "\(seconds * 1000 + attoseconds / 1_000_000_000_000_000)ms"
    }
}
