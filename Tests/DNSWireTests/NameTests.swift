import Testing
@testable import DNSWire

@Suite struct NameTests {
    @Test func parsesAndPrintsEscapes() throws {
        let name = try Name(presentation: "a\\.b.c\\032d.\\\\.example.", origin: nil)
        #expect(name.labelCount == 4)
        #expect(Array(name.labels[0]) == Array("a.b".utf8))
        #expect(Array(name.labels[1]) == Array("c d".utf8))
        #expect(Array(name.labels[2]) == [0x5C])
        #expect(name.presentation == "a\\.b.c\\032d.\\\\.example.")
        let again = try Name(presentation: name.presentation, origin: nil)
        #expect(again.isIdentical(to: name))
    }

    @Test func nonPrintableOctetsPrintAsDecimal() throws {
        let name = try Name(labels: [[0x00, 0x7F, 0xC8, 0x41]])
        #expect(name.presentation == "\\000\\127\\200A.")
        #expect(try Name(presentation: name.presentation).isIdentical(to: name))
    }

    @Test func relativeNamesUseTheOrigin() throws {
        let origin = try Name(presentation: "example.com.")
        #expect(try Name(presentation: "www", origin: origin).presentation == "www.example.com.")
        #expect(try Name(presentation: "@", origin: origin) == origin)
        #expect(try Name(presentation: ".", origin: origin).isRoot)
        WireTestSupport.expectError(.relativeName) { _ = try Name(presentation: "www", origin: nil) }
    }

    @Test func rejectsBadSyntax() {
        WireTestSupport.expectError(.badSyntax) { _ = try Name(presentation: "a..b.") }
        WireTestSupport.expectError(.badSyntax) { _ = try Name(presentation: ".a.") }
        WireTestSupport.expectError(.badEscape) { _ = try Name(presentation: "a\\25.") }
        WireTestSupport.expectError(.badEscape) { _ = try Name(presentation: "a\\256.") }
        WireTestSupport.expectError(.badEscape) { _ = try Name(presentation: "a\\") }
    }

    @Test func labelAndNameLimits() throws {
        let label63 = String(repeating: "a", count: 63)
        #expect(try Name(presentation: label63 + ".").labelCount == 1)
        WireTestSupport.expectError(.labelTooLong) { _ = try Name(presentation: label63 + "a.") }
        // 4 labels of 63 + 1 label of 61: 4*64 + 62 + 1 = 319 > 255; build exactly 255 and 256.
        let l62 = String(repeating: "b", count: 62)
        let name255 = [label63, label63, label63, l62].joined(separator: ".") + "."  // 64*3 + 63 + 1 = 256? check below
        let wireLength = 3 * 64 + 63 + 1
        #expect(wireLength == 256)
        WireTestSupport.expectError(.nameTooLong) { _ = try Name(presentation: name255) }
        let l61 = String(repeating: "c", count: 61)
        let fits = try Name(presentation: [label63, label63, label63, l61].joined(separator: ".") + ".")
        #expect(fits.wire.count == 255)
        WireTestSupport.expectError(.labelTooLong) { _ = try Name(wire: [64] + [UInt8](repeating: 0x61, count: 64) + [0]) }
        WireTestSupport.expectError(.nameTooLong) { _ = try fits.prepending(label: [0x61]) }
    }

    @Test func equalityIgnoresCaseButKeepsIt() throws {
        let upper = try Name(presentation: "WWW.Example.COM.")
        let lower = try Name(presentation: "www.example.com.")
        #expect(upper == lower)
        #expect(upper.hashValue == lower.hashValue)
        #expect(!upper.isIdentical(to: lower))
        #expect(upper.presentation == "WWW.Example.COM.")
        #expect(upper.lowercased().isIdentical(to: lower))
        #expect(Set([upper, lower]).count == 1)
    }

    @Test func hierarchy() throws {
        let name: Name = "a.b.example.com."
        let zone: Name = "Example.com."
        #expect(name.isSubdomain(of: zone))
        #expect(name.isProperSubdomain(of: zone))
        #expect(zone.isSubdomain(of: zone))
        #expect(!zone.isProperSubdomain(of: zone))
        #expect(!("xexample.com." as Name).isSubdomain(of: "example.com."))
        #expect(name.isSubdomain(of: .root))
        #expect(name.parent == "b.example.com.")
        #expect(Name.root.parent == nil)
        #expect(name.ancestor(labelCount: 2) == "example.com.")
        #expect(name.ancestor(labelCount: 5) == nil)
        #expect(name.droppingLabels(10).isRoot)
    }

    @Test func concatenationAndDNAME() throws {
        let relative = try Name(labels: [Array("www".utf8)])
        #expect(try relative.appending("example.") == "www.example.")
        #expect(try ("a.b.example." as Name).replacingSuffix("example.", with: "other.net.") == "a.b.other.net.")
        #expect(try ("example." as Name).replacingSuffix("example.", with: "other.") == nil)
        let long = try Name(labels: [[UInt8](repeating: 0x61, count: 63), [UInt8](repeating: 0x61, count: 63)])
        let target = try Name(labels: [[UInt8](repeating: 0x62, count: 63), [UInt8](repeating: 0x62, count: 63)])
        WireTestSupport.expectError(.nameTooLong) { _ = try long.replacingSuffix(.root, with: target) }
        #expect(("a.b.Example.com." as Name).commonLabelCount(with: "x.example.COM.") == 2)
        #expect(("com." as Name).commonLabelCount(with: "net.") == 0)
    }

    @Test func labelCountsAndWildcards() throws {
        let wildcard: Name = "*.example.com."
        #expect(wildcard.isWildcard)
        #expect(wildcard.labelCount == 3)
        #expect(wildcard.rrsigLabelCount == 2)
        #expect(Name.root.labelCount == 0)
        #expect(Name.root.rrsigLabelCount == 0)
        #expect(!("a.*.example." as Name).isWildcard)
        #expect(try ("example.com." as Name).wildcard() == wildcard)
    }

    /// RFC 4034 §6.1 example, via Tests/Vectors/rfc-derived/rfc4034-6.1-canonical-order.json.
    @Test func canonicalOrderVector() throws {
        let json = try #require(try WireTestSupport.loadJSON("rfc-derived/rfc4034-6.1-canonical-order.json") as? [String: Any])
        let texts = try #require(json["names_in_canonical_order"] as? [String])
        let wires = try #require(json["names_wire_hex_absolute"] as? [String])
        let names = try texts.map { try Name(presentation: $0, origin: .root) }
        #expect(names.count == 9 && wires.count == 9, "the nine names of RFC 4034 §6.1")
        for (name, wire) in zip(names, wires) {
            #expect(name.wire == WireTestSupport.hex(wire))
        }
        for index in 0..<(names.count - 1) {
            #expect(names[index] < names[index + 1], "\(names[index]) < \(names[index + 1])")
            #expect(!(names[index + 1] < names[index]))
        }
        #expect(names.reversed().sorted().map(\.wire) == names.map(\.wire))
        #expect(Name.canonicalCompare("A.example.", "a.EXAMPLE.") == 0)
    }
}
