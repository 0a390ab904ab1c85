import DNSSEC
import DNSWire
import Testing

/// NSEC proofs on hand-made chains (RFC 4035 §5.4, RFC 6840 §4.1, §4.3).
@Suite struct NSECDenialTests {
    /// example. → a.example. → d.example. (delegation, no DS) → h.example. (DNAME) →
    /// m.example. → *.w.example. → example. (wrap)
    static let zone: Name = "example."
    static let records: [NSECRecord] = [
        NSECRecord(owner: "example.", nsec: NSEC(nextName: "a.example.", types: TypeBitmap([.soa, .ns, .rrsig, .nsec, .dnskey]))),
        NSECRecord(owner: "a.example.", nsec: NSEC(nextName: "d.example.", types: TypeBitmap([.a, .rrsig, .nsec]))),
        NSECRecord(owner: "d.example.", nsec: NSEC(nextName: "h.example.", types: TypeBitmap([.ns, .rrsig, .nsec]))),
        NSECRecord(owner: "h.example.", nsec: NSEC(nextName: "m.example.", types: TypeBitmap([.dname, .rrsig, .nsec]))),
        NSECRecord(owner: "m.example.", nsec: NSEC(nextName: "x.y.m.example.", types: TypeBitmap([.mx, .rrsig, .nsec]))),
        NSECRecord(owner: "x.y.m.example.", nsec: NSEC(nextName: "*.w.example.", types: TypeBitmap([.a, .rrsig, .nsec]))),
        NSECRecord(owner: "*.w.example.", nsec: NSEC(nextName: "example.", types: TypeBitmap([.txt, .rrsig, .nsec]))),
    ]

    @Test func coveringAndWrapAround() {
        #expect(NSECDenial.covers(Self.records[1], "b.example.", zone: Self.zone))
        #expect(!NSECDenial.covers(Self.records[1], "a.example.", zone: Self.zone))
        #expect(!NSECDenial.covers(Self.records[1], "d.example.", zone: Self.zone))
        // The last NSEC covers everything after its owner.
        #expect(NSECDenial.covers(Self.records[6], "z.example.", zone: Self.zone))
        // Names outside the zone are never covered.
        #expect(!NSECDenial.covers(Self.records[6], "z.other.", zone: Self.zone))
    }

    @Test func delegationAndDNAMENSECsDoNotCoverNamesBelowThem() {
        // RFC 6840 §4.1: the parent's NSEC at a cut says nothing about the child's names.
        #expect(!NSECDenial.covers(Self.records[2], "www.d.example.", zone: Self.zone))
        #expect(!NSECDenial.covers(Self.records[3], "www.h.example.", zone: Self.zone))
        #expect(NSECDenial.nameError("www.d.example.", records: Self.records, zone: Self.zone) != .proven)
    }

    @Test func nameErrorNeedsTheWildcardDenialToo() {
        #expect(NSECDenial.nameError("b.example.", records: Self.records, zone: Self.zone) == .proven)
        // Without the NSEC that covers *.example. the proof is incomplete.
        let withoutApex = Array(Self.records.dropFirst())
        #expect(NSECDenial.nameError("b.example.", records: withoutApex, zone: Self.zone) != .proven)
        // Below *.w.example. a wildcard exists: no name error there.
        #expect(NSECDenial.nameError("q.w.example.", records: Self.records, zone: Self.zone) != .proven)
    }

    @Test func noDataRules() {
        #expect(NSECDenial.noData("a.example.", type: .aaaa, records: Self.records, zone: Self.zone) == .proven)
        #expect(NSECDenial.noData("a.example.", type: .a, records: Self.records, zone: Self.zone) != .proven)
        // The parent's delegation NSEC proves the absence of DS, nothing else.
        #expect(NSECDenial.noData("d.example.", type: .ds, records: Self.records, zone: Self.zone) == .proven)
        #expect(NSECDenial.noData("d.example.", type: .a, records: Self.records, zone: Self.zone) != .proven)
        // An empty non-terminal: y.m.example. lies between m.example. and x.y.m.example.
        #expect(NSECDenial.emptyNonTerminal("y.m.example.", records: Self.records, zone: Self.zone))
        #expect(NSECDenial.noData("y.m.example.", type: .a, records: Self.records, zone: Self.zone) == .proven)
        // Wildcard NODATA: q.w.example. does not exist, *.w.example. has no A.
        #expect(NSECDenial.noData("q.w.example.", type: .a, records: Self.records, zone: Self.zone) == .proven)
        #expect(NSECDenial.noData("q.w.example.", type: .txt, records: Self.records, zone: Self.zone) != .proven)
    }

    @Test func cnameBitDefeatsNoData() {
        let cname = [NSECRecord(owner: "c.example.", nsec: NSEC(nextName: "d.example.", types: TypeBitmap([.cname, .rrsig, .nsec])))]
        #expect(NSECDenial.noData("c.example.", type: .a, records: cname, zone: Self.zone) != .proven)
    }

    @Test func dsDenialAtCuts() {
        #expect(NSECDenial.dsDenial("d.example.", records: Self.records, zone: Self.zone) == .insecureDelegation)
        #expect(NSECDenial.dsDenial("a.example.", records: Self.records, zone: Self.zone) == .noZoneCut)
        #expect(NSECDenial.dsDenial("b.example.", records: Self.records, zone: Self.zone) == .noZoneCut)
        #expect(NSECDenial.dsDenial("y.m.example.", records: Self.records, zone: Self.zone) == .noZoneCut)
        // The child's apex NSEC (with SOA) is no proof for the parent's DS.
        let childApex = [NSECRecord(owner: "d.example.", nsec: NSEC(nextName: "a.d.example.", types: TypeBitmap([.soa, .ns, .rrsig, .nsec, .dnskey])))]
        if case .notProven = NSECDenial.dsDenial("d.example.", records: childApex, zone: "d.example.") {} else {
            Issue.record("child apex NSEC accepted as DS denial")
        }
    }

    @Test func wildcardAnswerNeedsTheRightClosestEncloser() {
        // q.w.example. from *.w.example.: the NSEC x.y.m.example. → *.w.example. covers it with
        // closest encloser w.example.
        #expect(NSECDenial.wildcardAnswer("q.w.example.", source: "w.example.", records: Self.records, zone: Self.zone) == .proven)
        // Claiming *.example. as the source for q.w.example. is wrong: w.example. exists.
        #expect(NSECDenial.wildcardAnswer("q.w.example.", source: "example.", records: Self.records, zone: Self.zone) != .proven)
    }
}
