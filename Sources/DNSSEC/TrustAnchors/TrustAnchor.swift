import DNSWire

/// A trust anchor (RFC 4033 §2, RFC 4035 §4.4): DS records or DNSKEYs for a zone that are
/// trusted without a parent's signature. The validator starts every chain at the closest one.
public struct TrustAnchor: Sendable {
    public let zone: Name
    public var ds: [DS]
    public var dnskeys: [DNSKEY]

    public init(zone: Name, ds: [DS] = [], dnskeys: [DNSKEY] = []) {
        self.zone = zone
        self.ds = ds
        self.dnskeys = dnskeys
    }
}

/// The trust anchors a validator uses, by zone.
public struct TrustAnchorStore: Sendable {
    public private(set) var anchors: [Name: TrustAnchor] = [:]

    public init() {}

    public init(_ anchors: [TrustAnchor]) {
        for anchor in anchors { add(anchor) }
    }

    /// Adds an anchor, merging with an existing one for the same zone.
    public mutating func add(_ anchor: TrustAnchor) {
        var merged = anchors[anchor.zone] ?? TrustAnchor(zone: anchor.zone)
        merged.ds += anchor.ds
        merged.dnskeys += anchor.dnskeys
        anchors[anchor.zone] = merged
    }

    /// Adds the DS and DNSKEY records among `records` (others are ignored).
    public mutating func add(records: [Record]) {
        for record in records {
            if let ds = record.rdata as? DS {
                add(TrustAnchor(zone: record.owner, ds: [ds]))
            } else if let dnskey = record.rdata as? DNSKEY {
                add(TrustAnchor(zone: record.owner, dnskeys: [dnskey]))
            }
        }
    }

    public var isEmpty: Bool { anchors.isEmpty }

    /// The anchor at `name` or at its closest ancestor that has one.
    public func closest(to name: Name) -> TrustAnchor? {
        var cursor: Name? = name
        while let current = cursor {
            if let anchor = anchors[current] { return anchor }
            cursor = current.parent
        }
        return nil
    }
}
