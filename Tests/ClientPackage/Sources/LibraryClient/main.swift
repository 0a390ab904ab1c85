// A program outside danegate that uses its library products the way another package would
// (Tests/PackageTests/ClientPackageTests.swift builds and runs it in a temporary package that
// depends on this repository by path). Each step calls one product's main entry point and
// prints a line the test checks; any failure exits 1.
import Cryptography
import DANE
import DNSSEC
import DNSWire
import EventLoop
import Resolver

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func fail(_ message: String) -> Never {
    print("FAIL \(message)")
    exit(1)
}

/// A UDP socket on 127.0.0.1 that never answers: the upstream of a resolver that must time out.
struct UDPSilence {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_DGRAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard descriptor >= 0, bound else { fail("cannot bind a UDP socket on 127.0.0.1") }
        self.descriptor = descriptor
        port = UInt16(bigEndian: address.sin_port)
    }
}

// MARK: DNSWire: build a query, encode it, parse the bytes back and print the message.

let query = Message.query(id: 4711, name: try Name(presentation: "www.example."), type: .tlsa)
let parsed = try Message(bytes: try query.encode())
guard parsed == query else { fail("DNSWire: the parsed message differs from the one encoded") }
print("DNSWire question: \(parsed.questions.map(\.name.presentation).joined())")

// MARK: DNSSEC: sign a zone with a fresh key and validate a TLSA answer from it offline.

let origin = try Name(presentation: "example.")
let zoneText = """
    $ORIGIN example.
    $TTL 3600
    @            SOA  ns1 hostmaster 1 7200 3600 1209600 300
    @            NS   ns1
    ns1          A    192.0.2.1
    www          A    127.0.0.1
    _443._tcp.www TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    """
let zone = try ZoneFileParser.parse(zoneText, fileName: "example.zone")
let key = SigningKey(privateKey: try DNSSECPrivateKey.generate(.ecdsaP256SHA256), flags: SigningKey.keySigningFlags)
let inception: UInt32 = 1_700_000_000
let signed = try ZoneSigner.sign(
    records: zone, origin: origin, keys: [key],
    options: ZoneSigningOptions(inception: inception, expiration: inception + 30 * 86_400))
print("DNSSEC signed: \(signed.filter { $0.type == .rrsig }.count) RRSIGs")

/// Answers every question from the signed zone, as a recursive resolver would: the records
/// with their RRSIGs, or for a name or type that is not there the zone's SOA and NSEC records
/// (all of them: the validator picks the proof).
struct SignedZoneFetcher: DNSSECFetcher {
    let records: [Record]

    func fetch(_ name: Name, _ type: RRType) async -> FetchResult {
        func isSet(_ record: Record, _ wanted: RRType) -> Bool {
            record.type == wanted || (record.rdata as? RRSIG)?.typeCovered == wanted
        }
        var response = Message(
            header: Header(isResponse: true, isAuthoritative: true), questions: [Question(name: name, type: type)])
        response.answers = records.filter { $0.owner == name && isSet($0, type) }
        if response.answers.isEmpty {
            response.authority = records.filter { isSet($0, .soa) || isSet($0, .nsec) }
            if !records.contains(where: { $0.owner.isSubdomain(of: name) }) { response.rcode = .nxDomain }
        }
        return .response(response)
    }
}

let tlsaName = try TLSAName.name(port: 443, host: "www.example.")
let anchors = TrustAnchorStore([TrustAnchor(zone: origin, dnskeys: [key.dnskey])])
let validator = DNSSECValidator(
    anchors: anchors, fetcher: SignedZoneFetcher(records: signed), clock: { UInt64(inception) + 86_400 })
let (_, result) = await validator.lookup(tlsaName, .tlsa)
// Only the RRsets the validator judged, never the response's sections (DESIGN.md rule 12).
let (status, rdatas) = result.answer(ofType: .tlsa)
guard status.isSecure else { fail("DNSSEC: \(result)") }
let tlsaRecords = rdatas.compactMap { $0 as? TLSA }
print("DNSSEC \(tlsaName.presentation) TLSA: \(status.name), \(tlsaRecords.count) record(s)")

// MARK: DANE: which of the validated records a protocol may use (RFC 7671, RFC 7672).

let (usable, unusable) = TLSAUsability.partition(tlsaRecords, for: .https)
guard usable.count == 1, unusable.isEmpty else { fail("DANE: \(usable.count) usable, \(unusable.count) unusable") }
print("DANE usable: \(usable.map(\.presentation).joined())")

// The connector plans from the validated records (secure TLSA, secure address) and dials; the
// address given instead of the zone's is a UDP port with no TCP listener, so the connection is
// refused, and with `require` the caller gets the reason rather than a connection.
let silent = try UDPSilence()
let connector = try DANEConnector(source: ValidatingLookupSource(validator: validator), timeout: .seconds(5))
let nobodyListening = try SocketAddress(host: "127.0.0.1", port: silent.port)
do {
    let connection = try await connector.connect(
        .host("www.example.", port: 443), protocol: .https, policy: .require, connectAddress: nobodyListening)
    connection.close()
    fail("DANE: connected to a port nobody listens on")
} catch {
    print("DANE connect: \(error.reason.rawValue)")
}

// MARK: Resolver: a validating resolver whose upstream never answers gives no data, only an
// indeterminate verdict (a failed lookup is never "no records").

var configuration = try ResolverConfiguration(servers: [try SocketAddress(host: "127.0.0.1", port: silent.port)])
configuration.perServerTimeout = .milliseconds(200)
configuration.attempts = 1
configuration.tcpFallback = false
let resolver = ValidatingResolver(
    resolver: try AsyncResolver(configuration: configuration),
    anchors: anchors)
let answer = await resolver.resolve(tlsaName, .tlsa)
guard answer.status.isIndeterminate, answer.records.isEmpty else { fail("Resolver: \(answer)") }
print("Resolver: \(answer.status.name)")
print("OK")
