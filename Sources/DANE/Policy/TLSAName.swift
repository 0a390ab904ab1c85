import DNSWire

/// TLSA owner names (RFC 6698 §3): `_<port>._<protocol>.<base domain>`.
public enum TLSAName {
    /// `_<port>._<transport>.<host>`, e.g. `_25._tcp.mx.example.`.
    public static func name(port: UInt16, transport: String = "tcp", host: Name) throws(DNSWireError) -> Name {
        try host.prepending(label: Array("_\(transport)".utf8)).prepending(label: Array("_\(port)".utf8))
    }

    /// The same from a host name in presentation form (absolute or not).
    public static func name(port: UInt16, transport: String = "tcp", host: String) throws(DNSWireError) -> Name {
        try name(port: port, transport: transport, host: try Name(presentation: absolute(host)))
    }

    /// A host name with its trailing dot, as DNS names are written absolute here.
    static func absolute(_ host: String) -> String {
        host.hasSuffix(".") ? host : host + "."
    }
}

extension Name {
    /// The name as a TLS reference identifier: presentation form without the trailing dot,
    /// lower-cased (RFC 6125 §6.4.1 compares case-insensitively).
    public var hostName: String {
        let text = presentation
        let trimmed = text.hasSuffix(".") && text != "." ? String(text.dropLast()) : text
        return trimmed.lowercased()
    }
}
