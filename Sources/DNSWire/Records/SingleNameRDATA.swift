/// RDATA that is one domain name and nothing else: CNAME, DNAME, NS and PTR share their
/// wire form, presentation and canonical form here; each type says only whether its name may
/// be compressed.
///
/// All four lower-case the name in canonical form (RFC 4034 §6.2, RFC 6672 §2.5). On read a
/// compressed name is always accepted, for robustness (RFC 3597 §4).
public protocol SingleNameRDATA: KnownRDATA {
    /// Whether a writer may compress the name: the well-known types of RFC 3597 §4 may, DNAME
    /// may not (RFC 6672 §2.5).
    static var isTargetCompressible: Bool { get }
    var target: Name { get set }
    init(_ target: Name)
}

extension SingleNameRDATA {
    public init(from reader: inout DNSReader) throws(DNSWireError) {
        self.init(try reader.readName())
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        self.init(try reader.name("target name"))
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeName(target, compressible: Self.isTargetCompressible, lowercaseWhenCanonical: true)
    }

    public var presentation: String { target.presentation }
}
