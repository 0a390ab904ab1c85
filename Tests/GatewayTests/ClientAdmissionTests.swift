import EventLoop
import Testing

@testable import Gateway

/// `allow` (issue 11): without it, a service listening beyond loopback lets in loopback
/// clients only, so the gateway is never an open relay.
@Suite struct ClientAdmissionTests {
    private func address(_ text: String) throws -> SocketAddress { try SocketAddress(parsing: text) }

    @Test func missingAllowOnAPublicAcceptAdmitsLoopbackOnly() throws {
        let admission = ClientAdmission(allow: nil, accept: try address("0.0.0.0:25"))
        #expect(admission.admits(try address("127.0.0.1:40000")))
        #expect(admission.admits(try address("127.8.9.10:40000")))
        #expect(admission.admits(try address("[::1]:40000")))
        #expect(admission.admits(try address("[::ffff:127.0.0.1]:40000")))
        #expect(!admission.admits(try address("192.0.2.7:40000")))
        #expect(!admission.admits(try address("[2001:db8::1]:40000")))
    }

    @Test func missingAllowOnLoopbackAcceptAdmitsWhatCanReachIt() throws {
        let admission = ClientAdmission(allow: nil, accept: try address("127.0.0.1:25"))
        #expect(admission.admits(try address("127.0.0.1:40000")))
    }

    @Test func allowListsNetworks() throws {
        let admission = ClientAdmission(
            allow: [AddressRange(network: [192, 0, 2, 0], prefixLength: 24), AddressRange(network: [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 12), prefixLength: 32)],
            accept: try address("0.0.0.0:25"))
        #expect(admission.admits(try address("192.0.2.200:1")))
        #expect(admission.admits(try address("[::ffff:192.0.2.9]:1")))
        #expect(admission.admits(try address("[2001:db8:1::5]:1")))
        #expect(!admission.admits(try address("192.0.3.1:1")))
        // With allow given, loopback is not implied.
        #expect(!admission.admits(try address("127.0.0.1:1")))
    }
}
