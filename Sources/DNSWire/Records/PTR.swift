/// PTR (RFC 1035 §3.3.12): one domain name.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                   PTRDNAME                    /
///     /                                               /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// PTRDNAME, the name the owner points to. A well-known type of RFC 3597 §4: the name may be compressed, and is lower-cased in canonical form.
public struct PTR: SingleNameRDATA {
    public static let rrType = RRType.ptr
    public static let isTargetCompressible = true
    public var target: Name

    public init(_ target: Name) { self.target = target }
}
