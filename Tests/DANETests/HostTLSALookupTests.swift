import DNSSEC
import DNSWire
import Testing

@testable import DANE

/// Canned answers by name and type; anything else fails like an unreachable resolver.
private struct CannedSource: SecureLookupSource {
    var answers: [String: SecureLookup]
    var mode: String { "canned" }

    func lookup(_ name: Name, _ type: RRType) async -> SecureLookup {
        answers["\(name.presentation) \(type.mnemonic)"] ?? .failed("no canned answer", timedOut: true)
    }
}

private func name(_ text: String) -> Name {
    // Test literals are valid names.
    (try? Name(presentation: text)) ?? .root
}

private func tlsa(_ usage: UInt8, byte: UInt8 = 1) -> TLSA {
    TLSA(usage: .init(rawValue: usage), selector: .subjectPublicKeyInfo, matchingType: .sha256,
         associationData: [UInt8](repeating: byte, count: 32))
}

private func answer(
    _ owner: String, _ rdata: [any RDATA], status: SecurityStatus = .secure, rcode: RCode = .noError, type: RRType? = nil
) -> SecureLookup {
    var message = Message(answers: rdata.map { Record(owner: name(owner), ttl: 300, rdata: $0) })
    message.rcode = rcode
    let question = Question(name: name(owner), type: type ?? rdata.first?.rrType ?? .tlsa)
    return .answered(ValidationResult.trustingAuthenticatedData(message, for: question, status: status))
}

private let insecure = SecurityStatus.insecure(ValidationReason(.other, "no DS"))
private let bogus = SecurityStatus.bogus(ValidationReason(.dnssecBogus, "bad signature"))

@Suite struct HostTLSALookupTests {
    @Test func expandedNameFirstThenOriginal() async {
        let source = CannedSource(answers: [
            "_443._tcp.edge.example. TLSA": answer("_443._tcp.edge.example.", []),
            "_443._tcp.www.example. TLSA": answer("_443._tcp.www.example.", [tlsa(3)]),
        ])
        let found = await HostTLSALookup.lookup(
            host: name("www.example."), port: 443, service: .https, expandedName: name("edge.example."), source: source)
        #expect(found.namesTried.map(\.presentation) == ["_443._tcp.edge.example.", "_443._tcp.www.example."])
        #expect(found.outcome == .usable)
        #expect(found.baseDomain == name("www.example."))
        #expect(found.referenceIdentifiers == ["www.example", "edge.example"])
    }

    @Test func expandedNameWinsWhenItHasRecords() async {
        let source = CannedSource(answers: ["_25._tcp.edge.example. TLSA": answer("_25._tcp.edge.example.", [tlsa(2)])])
        let found = await HostTLSALookup.lookup(
            host: name("mx.example."), port: 25, service: .smtp, expandedName: name("edge.example."),
            extraReferenceIdentifiers: ["example"], source: source)
        #expect(found.outcome == .usable)
        #expect(found.baseDomain == name("edge.example."))
        #expect(found.referenceIdentifiers == ["edge.example", "mx.example", "example"])
    }

    @Test func aFailedLookupIsNeverNoTLSA() async {
        let source = CannedSource(answers: [:])
        let found = await HostTLSALookup.lookup(host: name("mx.example."), port: 25, service: .smtp, source: source)
        #expect(found.reason == .timeout)
        let failing = CannedSource(answers: ["_25._tcp.mx.example. TLSA": .failed("SERVFAIL", timedOut: false)])
        #expect(await HostTLSALookup.lookup(host: name("mx.example."), port: 25, service: .smtp, source: failing).reason == .tlsaLookupFailed)
    }

    @Test func failureAtTheExpandedNameStopsThere() async {
        let source = CannedSource(answers: [
            "_443._tcp.edge.example. TLSA": .failed("timeout", timedOut: true),
            "_443._tcp.www.example. TLSA": answer("_443._tcp.www.example.", [tlsa(3)]),
        ])
        let found = await HostTLSALookup.lookup(
            host: name("www.example."), port: 443, service: .https, expandedName: name("edge.example."), source: source)
        #expect(found.reason == .timeout)
        #expect(found.namesTried.count == 1)
    }

    @Test func verdictsMapToReasons() async {
        let cases: [(SecureLookup, DANEReason?)] = [
            (answer("_443._tcp.h.example.", [tlsa(3)]), nil),
            (answer("_443._tcp.h.example.", [tlsa(3)], status: bogus), .tlsaBogus),
            (answer("_443._tcp.h.example.", [tlsa(3)], status: insecure), .tlsaInsecure),
            (answer("_443._tcp.h.example.", []), .noTLSA),
            (answer("_443._tcp.h.example.", [], rcode: .nxDomain), .noTLSA),
            (answer("_443._tcp.h.example.", [tlsa(7)]), .tlsaUnusable),
            (answer("_443._tcp.h.example.", [tlsa(3)], status: .indeterminate(ValidationReason(.dnssecIndeterminate, "no anchor"))), .tlsaLookupFailed),
        ]
        for (lookup, reason) in cases {
            let source = CannedSource(answers: ["_443._tcp.h.example. TLSA": lookup])
            let found = await HostTLSALookup.lookup(host: name("h.example."), port: 443, service: .https, source: source)
            #expect(found.reason == reason)
        }
    }

    @Test func smtpSeesOnlyPKIXRecordsAsUnusable() async {
        let source = CannedSource(answers: ["_25._tcp.mx.example. TLSA": answer("_25._tcp.mx.example.", [tlsa(0), tlsa(1)])])
        let found = await HostTLSALookup.lookup(host: name("mx.example."), port: 25, service: .smtp, source: source)
        #expect(found.reason == .tlsaUnusable)
        #expect(found.unusable.count == 2)
    }

    @Test func mxAnswersDecideDANE() async {
        let mx = [MX(preference: 20, exchange: name("b.example.")), MX(preference: 10, exchange: name("a.example."))]
        let secure = await ServiceTargets.mx(name("example."), source: CannedSource(answers: ["example. MX": answer("example.", mx)]))
        #expect(secure.reason == nil)
        #expect(secure.targets.map(\.host.presentation) == ["a.example.", "b.example."])
        let insecureMX = await ServiceTargets.mx(
            name("example."), source: CannedSource(answers: ["example. MX": answer("example.", mx, status: insecure)]))
        #expect(insecureMX.reason == .mxInsecure)
        let bogusMX = await ServiceTargets.mx(
            name("example."), source: CannedSource(answers: ["example. MX": answer("example.", mx, status: bogus)]))
        #expect(bogusMX.reason == .tlsaBogus && bogusMX.targets.isEmpty)
        let implicit = await ServiceTargets.mx(name("example."), source: CannedSource(answers: ["example. MX": answer("example.", [])]))
        #expect(implicit.targets.map(\.host.presentation) == ["example."])
        let nullMX = await ServiceTargets.mx(
            name("example."), source: CannedSource(answers: ["example. MX": answer("example.", [MX(preference: 0, exchange: .root)])]))
        #expect(nullMX.targets.isEmpty)
    }

    @Test func srvAnswersDecideDANE() async {
        let srv = [SRV(priority: 5, weight: 0, port: 5223, target: name("xmpp.example."))]
        let secure = await ServiceTargets.srv(
            name("example."), source: CannedSource(answers: ["_xmpp-client._tcp.example. SRV": answer("_xmpp-client._tcp.example.", srv)]))
        #expect(secure.reason == nil)
        #expect(secure.targets == [ServiceTarget(host: name("xmpp.example."), port: 5223, preference: 5)])
        #expect(secure.serviceDomain == name("example."))
        let insecureSRV = await ServiceTargets.srv(
            name("example."),
            source: CannedSource(answers: ["_xmpp-client._tcp.example. SRV": answer("_xmpp-client._tcp.example.", srv, status: insecure)]))
        #expect(insecureSRV.reason == .srvInsecure)
        let none = await ServiceTargets.srv(
            name("example."), source: CannedSource(answers: ["_xmpp-client._tcp.example. SRV": answer("_xmpp-client._tcp.example.", [], rcode: .nxDomain)]))
        #expect(none.targets == [ServiceTarget(host: name("example."), port: 5222)])
    }
}
