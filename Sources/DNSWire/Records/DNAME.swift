/// DNAME (RFC 6672 §2.1): one domain name.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                   Target                      /
///     /                                               /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// Target, the name that replaces the owner suffix. RFC 6672 §2.5: never compressed on write (decompressed on read for robustness); lower-cased in canonical form (RFC 4034 §6.2).
public struct DNAME: SingleNameRDATA {
    public static let rrType = RRType.dname
    public static let isTargetCompressible = false
    public var target: Name

    public init(_ target: Name) { self.target = target }
}
