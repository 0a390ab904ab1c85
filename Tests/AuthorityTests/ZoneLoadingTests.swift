import Authority
import DNSWire
import Foundation
import TestSupport
import Testing

/// Loading zones: the SOA rules, records outside the zone, `FILE:ORIGIN` arguments, and the
/// catalog's reload that keeps the old version of a zone that fails.
@Suite struct ZoneLoadingTests {
    @Test func zoneWithoutSOAIsRefused() throws {
        let text = "$ORIGIN x.test.\n$TTL 60\nwww A 192.0.2.1\n"
        #expect(throws: ZoneError.self) { try makeZone(text, origin: "x.test.") }
        do {
            _ = try makeZone(text, origin: "x.test.")
        } catch let error as ZoneError {
            #expect(error.code == .badSOA)
        }
    }

    @Test func soaBelowTheApexIsRefused() throws {
        let text = "$ORIGIN x.test.\n$TTL 60\n@ SOA ns h 1 2 3 4 5\nsub SOA ns h 1 2 3 4 5\n"
        #expect(throws: ZoneError.self) { try makeZone(text, origin: "x.test.") }
    }

    @Test func recordsOutsideTheZoneAreIgnoredWithAWarning() throws {
        let text = "$ORIGIN x.test.\n$TTL 60\n@ SOA ns h 1 2 3 4 5\nwww.other.test. A 192.0.2.1\nwww A 192.0.2.2\n"
        let zone = try makeZone(text, origin: "x.test.")
        #expect(zone.warnings.count == 1)
        #expect(try ask(answerer(zone), "www.x.test.", .a).answers.count == 1)
    }

    @Test func zoneArgumentTakesAnOptionalOrigin() throws {
        let plain = try ZoneSource(argument: "/tmp/a.zone")
        #expect(plain.path == "/tmp/a.zone" && plain.origin == nil)
        let withOrigin = try ZoneSource(argument: "/tmp/a.zone:example.com")
        #expect(withOrigin.path == "/tmp/a.zone")
        #expect(withOrigin.origin == (try Name(presentation: "example.com.")))
        #expect(throws: ZoneError.self) { try ZoneSource(argument: ":example.") }
    }

    @Test func originComesFromTheSOAWhenNotGiven() throws {
        let directory = try TemporaryDirectory(prefix: "danezone-origin")
        let path = try directory.write("z", exampleZoneText)
        let zone = try ZoneSource(path: path).load()
        #expect(zone.origin == (try Name(presentation: "example.")))
    }

    @Test func twoZonesWithOneOriginAreRefused() throws {
        #expect(throws: ZoneError.self) { try ZoneStore(zones: [try makeZone(), try makeZone()]) }
    }

    @Test func reloadKeepsTheOldVersionOfAZoneThatFails() throws {
        let directory = try TemporaryDirectory(prefix: "danezone-catalog")
        let path = try directory.write("z", exampleZoneText)
        var catalog = try ZoneCatalog(sources: [ZoneSource(path: path, origin: try Name(presentation: "example."))])
        _ = try directory.write("z", "garbage (\n")
        let messages = catalog.reload()
        #expect(messages.count == 1 && messages[0].contains("keeping the old version"))
        #expect(catalog.store.zone(origin: try Name(presentation: "example.")) != nil)
        _ = try directory.write("z", exampleZoneText + "added A 192.0.2.77\n")
        _ = catalog.reload()
        let answer = try ask(QueryAnswerer(store: catalog.store), "added.example.", .a)
        #expect(answer.answers.count == 1)
    }

    @Test func startUpFailsWhenAZoneCannotBeLoaded() throws {
        #expect(throws: ZoneError.self) {
            try ZoneCatalog(sources: [ZoneSource(path: "/nonexistent/zone", origin: try Name(presentation: "x."))])
        }
    }
}
