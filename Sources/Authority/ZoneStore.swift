import DNSWire

/// The zones a server hosts, by origin. Finding the zone of a name walks up its labels
/// (one hash lookup each) to the deepest hosted origin.
public struct ZoneStore: Sendable {
    private var zones: [Name: Zone] = [:]

    public init(zones: [Zone] = []) throws(ZoneError) {
        for zone in zones { try add(zone) }
    }

    /// Adds a zone; its origin must be new.
    public mutating func add(_ zone: Zone) throws(ZoneError) {
        guard zones[zone.origin] == nil else {
            throw ZoneError(.duplicateZone, "zone \(zone.origin.presentation) is loaded twice")
        }
        zones[zone.origin] = zone
    }

    /// Replaces (or adds) the zone with `zone.origin`.
    public mutating func replace(_ zone: Zone) {
        zones[zone.origin] = zone
    }

    /// The zone at `origin`.
    public func zone(origin: Name) -> Zone? { zones[origin] }

    /// Every zone, in canonical order of origin.
    public var allZones: [Zone] { zones.values.sorted { $0.origin < $1.origin } }

    /// The deepest zone that contains `name` (the closest enclosing origin).
    public func closestZone(containing name: Name) -> Zone? {
        var candidate: Name? = name
        while let current = candidate {
            if let zone = zones[current] { return zone }
            candidate = current.parent
        }
        return nil
    }

    /// The zone to answer a question from: the deepest one containing `name`, except that a
    /// DS question at a child's apex goes to the parent zone when it is hosted too, because
    /// DS records live on the parent side of the cut (RFC 4035 §3.1.4.1).
    public func zone(for name: Name, type: RRType) -> Zone? {
        guard let zone = closestZone(containing: name) else { return nil }
        if type == .ds, zone.origin == name, let parentName = name.parent,
            let parent = closestZone(containing: parentName)
        {
            return parent
        }
        return zone
    }
}
