import DNSWire

/// Where a zone comes from: a zone file and, optionally, its origin (`FILE:ORIGIN` on the
/// command line). Without an origin the owner of the file's first SOA is taken, which needs a
/// file whose names are absolute or that sets `$ORIGIN`.
public struct ZoneSource: Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var origin: Name?

    public init(path: String, origin: Name? = nil) {
        self.path = path
        self.origin = origin
    }

    /// Parses `FILE` or `FILE:ORIGIN`: the text after the last colon, if any, is the origin
    /// (a trailing dot is added when missing), so a path with a colon needs `:ORIGIN`.
    public init(argument: String) throws(ZoneError) {
        if let colon = argument.lastIndex(of: ":") {
            let originText = String(argument[argument.index(after: colon)...])
            let path = String(argument[..<colon])
            guard !path.isEmpty, !originText.isEmpty else {
                throw ZoneError(.missingOrigin, "bad zone argument '\(argument)': expected FILE or FILE:ORIGIN")
            }
            do {
                self.init(path: path, origin: try Name(presentation: originText.hasSuffix(".") ? originText : originText + "."))
            } catch {
                throw ZoneError(.missingOrigin, "bad origin '\(originText)': \(error)")
            }
        } else {
            self.init(path: argument)
        }
    }

    public var description: String {
        origin.map { "\(path) (\($0.presentation))" } ?? path
    }

    /// Reads and indexes the zone.
    public func load() throws(ZoneError) -> Zone {
        let records: [Record]
        do {
            records = try ZoneFileParser.load(path: path, options: ZoneFileParser.Options(origin: origin))
        } catch {
            throw ZoneError(.unreadable, "\(error)")
        }
        let zoneOrigin: Name
        if let origin {
            zoneOrigin = origin
        } else if let soa = records.first(where: { $0.type == .soa }) {
            zoneOrigin = soa.owner
        } else {
            throw ZoneError(.missingOrigin, "\(path): no origin given and no SOA record to take it from")
        }
        return try Zone(origin: zoneOrigin, records: records)
    }
}
