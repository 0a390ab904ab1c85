/// DNAME (RFC 6672 §2.1): one domain name.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                   Target                      /
///     /                                               /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// Target, the name that replaces the owner suffix. RFC 6672 §2.5: never compressed on write (decompressed on read for robustness); lower-cased in canonical form (RFC 4034 §6.2).
public struct DNAME: KnownRDATA {
    public static let rrType = RRType.dname
    public var target: Name

    public init(_ target: Name) { self.target = target }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        target = try reader.readName()
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        target = try reader.name("target name")
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeName(target, compressible: false, lowercaseWhenCanonical: true)
    }

    public var presentation: String { target.presentation }
}
