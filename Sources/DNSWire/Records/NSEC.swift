/// NSEC (RFC 4034 §4.1): the next owner name in canonical order and the types at this name.
///
///                          1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     /                      Next Domain Name                         /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///     /                       Type Bit Maps                           /
///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///
/// The next name is never compressed (§4.1.1) and keeps its case in canonical form
/// (RFC 6840 §5.1).
public struct NSEC: KnownRDATA {
    public static let rrType = RRType.nsec
    public var nextName: Name
    public var types: TypeBitmap

    public init(nextName: Name, types: TypeBitmap) {
        self.nextName = nextName
        self.types = types
    }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        nextName = try reader.readName()
        types = try TypeBitmap(from: &reader)
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        nextName = try reader.name("next domain name")
        types = try TypeBitmap(presentation: &reader)
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeName(nextName, compressible: false, lowercaseWhenCanonical: false)
        types.write(to: &writer)
    }

    public var presentation: String {
        let list = types.presentation
        return list.isEmpty ? nextName.presentation : "\(nextName.presentation) \(list)"
    }
}
