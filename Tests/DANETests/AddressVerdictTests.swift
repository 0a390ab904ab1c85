import DNSSEC
import DNSWire
import Testing
import TestSupport

@testable import DANE

/// Issue 9, hole 3: a bogus or indeterminate address answer for an MX or SRV host is a DNS
/// failure (RFC 4035 §4.3, RFC 7672 §2.1.1, DESIGN.md rule 7), never "no DANE here".
@Suite struct AddressVerdictTests {
    /// Answers by "name TYPE"; anything else is NODATA, secure.
    struct Source: SecureLookupSource {
        var answers: [String: ([any RDATA], SecurityStatus)]
        var mode: String { "canned" }

        func lookup(_ name: Name, _ type: RRType) async -> SecureLookup {
            let (rdatas, status) = answers["\(name.presentation) \(type.mnemonic)"] ?? ([], .secure)
            return Self.answer(name, type, rdatas, status)
        }

        static func answer(_ name: Name, _ type: RRType, _ rdatas: [any RDATA], _ status: SecurityStatus) -> SecureLookup {
            let message = Message(answers: rdatas.map { Record(owner: name, ttl: 300, rdata: $0) })
            return .answered(ValidationResult.trustingAuthenticatedData(message, for: Question(name: name, type: type), status: status))
        }
    }

    static let bogus = SecurityStatus.bogus(ValidationReason(.dnssecBogus, "forged A"))
    static let indeterminate = SecurityStatus.indeterminate(ValidationReason(.dnssecIndeterminate, "no anchor"))
    static let insecure = SecurityStatus.insecure(ValidationReason(.other, "no DS"))

    /// A secure MX whose host's A answer is bogus (the attacker's loopback address, where
    /// nothing listens): `opportunistic` must refuse as a DNS failure before connecting.
    @Test(arguments: [(bogus, DANEReason.tlsaBogus), (indeterminate, .tlsaLookupFailed)])
    func badAddressAnswerOfAnMXHostIsADNSFailure(status: SecurityStatus, reason: DANEReason) async throws {
        let port = try freeLoopbackPort()
        let source = Source(answers: [
            "example. MX": ([MX(preference: 10, exchange: "mx.example.")], .secure),
            "mx.example. A": ([A(127, 0, 0, 1)], status),
        ])
        let connector = try DANEConnector(source: source, trustRoots: .none, timeout: .seconds(5))
        do {
            let connection = try await connector.connect(
                .mx(domain: "example.", port: port), protocol: .smtp, policy: .opportunistic)
            connection.close()
            Issue.record("connected through a \(status.name) address answer")
        } catch {
            #expect(error.reason == reason, "\(error)")
        }
    }

    /// Only a proven-insecure address answer skips DANE for the host (`tlsa-insecure`).
    @Test func insecureAddressAnswerSkipsDANE() async throws {
        let source = Source(answers: ["mx.example. A": ([A(127, 0, 0, 1)], Self.insecure)])
        let insecure = await HostAddresses.lookup("mx.example.", source: source)
        if case .insecure = insecure.effect {} else { Issue.record("\(insecure.effect)") }
        #expect(insecure.addresses == ["127.0.0.1"])
        let forged = await HostAddresses.lookup("mx.example.", source: Source(answers: ["mx.example. A": ([A(127, 0, 0, 1)], Self.bogus)]))
        #expect(forged.addresses.isEmpty)
        if case .failure(let reason, _) = forged.effect { #expect(reason == .tlsaBogus) } else { Issue.record("\(forged.effect)") }
    }
}
