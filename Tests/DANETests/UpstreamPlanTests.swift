import DNSSEC
import DNSWire
import Foundation
import Testing

@testable import DANE

/// Canned answers by name and type that also remember what was asked; anything else fails like
/// an unreachable resolver.
private final class RecordingSource: SecureLookupSource, @unchecked Sendable {
    let answers: [String: SecureLookup]
    private let lock = NSLock()
    private var asked: [String] = []
    var mode: String { "canned" }

    init(_ answers: [String: SecureLookup]) {
        self.answers = answers
    }

    var questions: [String] { lock.withLock { asked } }

    func lookup(_ name: Name, _ type: RRType) async -> SecureLookup {
        let key = "\(name.presentation) \(type.mnemonic)"
        lock.withLock { asked.append(key) }
        return answers[key] ?? .failed("no canned answer", timedOut: false)
    }
}

private func name(_ text: String) -> Name {
    (try? Name(presentation: text)) ?? .root
}

private func answer(_ owner: String, _ rdata: [any RDATA], status: SecurityStatus = .secure) -> SecureLookup {
    let message = Message(answers: rdata.map { Record(owner: name(owner), ttl: 300, rdata: $0) })
    let type = rdata.first.map { Record(owner: name(owner), ttl: 300, rdata: $0).type } ?? .a
    return .answered(ValidationResult.trustingAuthenticatedData(message, for: Question(name: name(owner), type: type), status: status))
}

private let insecure = SecurityStatus.insecure(ValidationReason(.other, "no DS"))
private let bogus = SecurityStatus.bogus(ValidationReason(.dnssecBogus, "bad signature"))
private let leafRecord = TLSA(
    usage: .daneEE, selector: .subjectPublicKeyInfo, matchingType: .sha256, associationData: [UInt8](repeating: 7, count: 32))

/// An MX domain whose one host has the given A and AAAA answers and a usable TLSA RRset.
private func mxSource(a: SecureLookup?, aaaa: SecureLookup?) -> RecordingSource {
    var answers: [String: SecureLookup] = [
        "example. MX": answer("example.", [MX(preference: 10, exchange: name("mx.example."))]),
        "_25._tcp.mx.example. TLSA": answer("_25._tcp.mx.example.", [leafRecord]),
    ]
    if let a { answers["mx.example. A"] = a }
    if let aaaa { answers["mx.example. AAAA"] = aaaa }
    return RecordingSource(answers)
}

/// DESIGN rule 7 (issue 11 "address records of the target"): the A/AAAA of an MX or SRV target
/// must be secure before its TLSA is used; bogus or failed is a DNS failure, never "insecure".
@Suite struct UpstreamPlanTests {
    private func plan(_ source: RecordingSource, policy: DANEPolicy) async -> UpstreamPlan {
        await UpstreamPlanner.plan(
            UpstreamRequest(service: .smtp, target: .mx(domain: "example", port: 25), policy: policy), source: source)
    }

    @Test func secureAddressesUseTheTLSA() async {
        let source = mxSource(a: answer("mx.example.", [A(127, 0, 0, 1)]), aaaa: answer("mx.example.", []))
        let planned = await plan(source, policy: .require)
        #expect(planned.hosts.first?.daneReason == nil)
        #expect(planned.hosts.first?.refusal == nil)
        #expect(planned.hosts.first?.tlsOptions.dane?.records.count == 1)
        #expect(planned.hosts.first?.tlsOptions.referenceIdentifiers == ["mx.example", "example"])
    }

    @Test func bogusAddressOfAnMXHostIsATemporaryDNSFailure() async {
        let source = mxSource(a: answer("mx.example.", [A(127, 0, 0, 1)], status: bogus), aaaa: answer("mx.example.", []))
        for policy in [DANEPolicy.require, .opportunistic] {
            let planned = await plan(source, policy: policy)
            let host = planned.hosts.first
            #expect(host?.daneReason == .tlsaBogus, "\(policy)")
            #expect(host?.refusal?.reason == .tlsaBogus, "\(policy)")
            #expect(host?.refusal?.reason.category == .dnsFailure)
            #expect(planned.refusal?.reason == .tlsaBogus)
        }
        // The TLSA of a host whose addresses are bogus is never asked for.
        #expect(!source.questions.contains("_25._tcp.mx.example. TLSA"))
    }

    @Test func failedAddressLookupIsADNSFailureNotInsecure() async {
        let source = mxSource(a: nil, aaaa: nil)
        let planned = await plan(source, policy: .opportunistic)
        #expect(planned.hosts.first?.daneReason == .tlsaLookupFailed)
        #expect(planned.refusal?.reason == .tlsaLookupFailed)
        #expect(!source.questions.contains("_25._tcp.mx.example. TLSA"))
    }

    @Test func indeterminateAddressIsADNSFailure() async {
        let indeterminate = SecurityStatus.indeterminate(ValidationReason(.other, "no anchor"))
        let source = mxSource(a: answer("mx.example.", [A(127, 0, 0, 1)], status: indeterminate), aaaa: answer("mx.example.", []))
        let planned = await plan(source, policy: .opportunistic)
        #expect(planned.hosts.first?.refusal?.reason == .tlsaLookupFailed)
    }

    @Test func provenInsecureAddressSkipsDANEOnly() async {
        let source = mxSource(a: answer("mx.example.", [A(127, 0, 0, 1)], status: insecure), aaaa: answer("mx.example.", []))
        let required = await plan(source, policy: .require)
        #expect(required.hosts.first?.refusal?.reason == .tlsaInsecure)
        let opportunistic = await plan(source, policy: .opportunistic)
        #expect(opportunistic.hosts.first?.daneReason == .tlsaInsecure)
        #expect(opportunistic.hosts.first?.refusal == nil)
        #expect(opportunistic.hosts.first?.tlsOptions.dane == nil)
        #expect(opportunistic.hosts.first?.tlsOptions.enforcement == .reportOnly)
        #expect(!source.questions.contains("_25._tcp.mx.example. TLSA"))
    }

    @Test func happyEyeballsOrderInterleavesFamiliesIPv6First() async {
        let source = mxSource(
            a: answer("mx.example.", [A(127, 0, 0, 1), A(127, 0, 0, 2)]),
            aaaa: answer("mx.example.", [AAAA(bytes: [UInt8](repeating: 0, count: 15) + [1])].compactMap { $0 }))
        let planned = await plan(source, policy: .require)
        #expect(planned.hosts.first?.addresses.map(\.description) == ["[::1]:25", "127.0.0.1:25", "127.0.0.2:25"])
    }
}

/// The evidence itself: made only from secure address records under a secure MX/SRV RRset.
@Suite struct SecureHostEvidenceTests {
    private func addresses(_ status: SecurityStatus, failure: String? = nil) -> HostAddresses {
        HostAddresses(
            host: name("mx.example."), addresses: ["127.0.0.1"], status: status, expandedName: name("mx.example."),
            failedLookups: failure.map { [$0] } ?? [])
    }

    @Test func evidenceNeedsBothAnswersSecure() {
        let host = name("mx.example.")
        if case .secure(let evidence) = AddressDecision.decide(addresses(.secure), host: host, serviceRecordStatus: .secure) {
            #expect(evidence.expandedName == host)
        } else {
            Issue.record("secure answers gave no evidence")
        }
        guard case .insecure = AddressDecision.decide(addresses(.secure), host: host, serviceRecordStatus: insecure) else {
            Issue.record("an insecure MX RRset gave evidence")
            return
        }
        guard case .dnsFailure(.tlsaBogus, _) = AddressDecision.decide(addresses(bogus), host: host, serviceRecordStatus: .secure) else {
            Issue.record("bogus addresses were not a DNS failure")
            return
        }
        guard case .dnsFailure(.tlsaLookupFailed, _) = AddressDecision.decide(addresses(.secure, failure: "timeout"), host: host) else {
            Issue.record("a failed lookup was not a DNS failure")
            return
        }
    }
}
