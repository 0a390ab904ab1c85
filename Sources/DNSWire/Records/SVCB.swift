/// SVCB (RFC 9460 §2.2): service binding, with SvcPriority, TargetName and SvcParams.
///
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     |                  SvcPriority                  |
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /                  TargetName                   /  (uncompressed)
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///     /     SvcParams: SvcParamKey, length, value     /  (repeated, keys increasing)
///     +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
///
/// SvcPriority 0 is AliasMode (§2.4.2), anything else ServiceMode. TargetName is never
/// compressed (§2.2) and not lower-cased in canonical form (not in RFC 4034 §6.2's list).
public struct SVCB: ServiceBindingRDATA {
    public static let rrType = RRType.svcb
    public var priority: UInt16
    public var target: Name
    public var params: SvcParams

    public init(priority: UInt16, target: Name, params: SvcParams) {
        self.priority = priority
        self.target = target
        self.params = params
    }
}

/// The shared layout of SVCB and HTTPS.
public protocol ServiceBindingRDATA: KnownRDATA {
    var priority: UInt16 { get }
    var target: Name { get }
    var params: SvcParams { get }
    init(priority: UInt16, target: Name, params: SvcParams)
}

extension ServiceBindingRDATA {
    public var isAliasMode: Bool { priority == 0 }

    public init(from reader: inout DNSReader) throws(DNSWireError) {
        let priority = try reader.readUInt16()
        let target = try reader.readName()
        self.init(priority: priority, target: target, params: try SvcParams(from: &reader))
    }

    public init(presentation reader: inout PresentationReader) throws(DNSWireError) {
        let priority = try reader.uint16("SvcPriority")
        let target = try reader.name("TargetName")
        self.init(priority: priority, target: target, params: try SvcParams(presentation: &reader))
    }

    public func write(to writer: inout DNSWriter) throws(DNSWireError) {
        writer.writeUInt16(priority)
        writer.writeName(target, compressible: false, lowercaseWhenCanonical: false)
        try params.write(to: &writer)
    }

    public var presentation: String {
        let list = params.presentation
        let head = "\(priority) \(target.presentation)"
        return list.isEmpty ? head : head + " " + list
    }
}
