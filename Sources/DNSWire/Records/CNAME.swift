/// CNAME (RFC 1035 §3.3.1): one domain name.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                   CNAME                       /
///     /                                               /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// CNAME, the canonical name of the owner. A well-known type of RFC 3597 §4: the name may be compressed, and is lower-cased in canonical form.
public struct CNAME: SingleNameRDATA {
    public static let rrType = RRType.cname
    public static let isTargetCompressible = true
    public var target: Name

    public init(_ target: Name) { self.target = target }
}
