/// NS (RFC 1035 §3.3.11): one domain name.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                   NSDNAME                     /
///     /                                               /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// NSDNAME, a host authoritative for the zone. A well-known type of RFC 3597 §4: the name may be compressed, and is lower-cased in canonical form.
public struct NS: SingleNameRDATA {
    public static let rrType = RRType.ns
    public static let isTargetCompressible = true
    public var target: Name

    public init(_ target: Name) { self.target = target }
}
