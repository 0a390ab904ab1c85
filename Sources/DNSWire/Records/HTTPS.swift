/// HTTPS (RFC 9460 §9): SVCB for HTTP origins; the same layout as SVCB.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                  SvcPriority                  |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                  TargetName                   /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                   SvcParams                   /
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
public struct HTTPS: ServiceBindingRDATA {
    public static let rrType = RRType.https
    public var priority: UInt16
    public var target: Name
    public var params: SvcParams

    public init(priority: UInt16, target: Name, params: SvcParams) {
        self.priority = priority
        self.target = target
        self.params = params
    }
}
