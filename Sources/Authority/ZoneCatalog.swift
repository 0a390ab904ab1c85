/// The zones a server was told to load, and the store built from them. ``reload()`` reads
/// every zone again; one that fails keeps its previous version, and the reason is reported
/// (ghostunnel's habit: a reload never leaves the server worse off).
public struct ZoneCatalog: Sendable {
    public let sources: [ZoneSource]
    public private(set) var store: ZoneStore
    private var loaded: [Int: Zone] = [:]

    /// Loads every zone; any failure is an error (at start-up nothing old can stand in).
    public init(sources: [ZoneSource]) throws(ZoneError) {
        self.sources = sources
        var store = try ZoneStore()
        for (index, source) in sources.enumerated() {
            let zone: Zone
            do {
                zone = try source.load()
            } catch {
                throw ZoneError(error.code, "\(source.path): \(error.reason)")
            }
            try store.add(zone)
            loaded[index] = zone
        }
        self.store = store
    }

    /// Reloads every zone; returns one message per zone (loaded, or why the old version stays).
    public mutating func reload() -> [String] {
        var messages: [String] = []
        for (index, source) in sources.enumerated() {
            do throws(ZoneError) {
                let zone = try source.load()
                if let old = loaded[index], old.origin != zone.origin {
                    throw ZoneError(.missingOrigin, "origin changed from \(old.origin.presentation) to \(zone.origin.presentation)")
                }
                store.replace(zone)
                loaded[index] = zone
                messages.append("zone \(zone.origin.presentation) reloaded from \(source.path) (serial \(zone.soa.serial))")
            } catch {
                let name = loaded[index]?.origin.presentation ?? source.path
                messages.append("zone \(name): reload of \(source.path) failed, keeping the old version: \(error.reason)")
            }
        }
        return messages
    }
}
