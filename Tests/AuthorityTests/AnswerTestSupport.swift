import Authority
import Cryptography
import DNSSEC
import DNSWire
import Foundation

/// The zone most answer tests use: delegations with and without DS, glue, a wildcard, an
/// empty non-terminal, CNAME chains, and the record types DANE needs.
let exampleZoneText = """
    $ORIGIN example.
    $TTL 3600
    @ IN SOA ns1.example. hostmaster.example. 1 7200 3600 1209600 300
    @ NS ns1
    @ NS ns2.example.
    ns1 A 192.0.2.1
    ns2 AAAA 2001:db8::2
    www A 192.0.2.10
    www AAAA 2001:db8::10
    @ MX 10 mail
    mail A 192.0.2.25
    _25._tcp.mail TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    _xmpp-client._tcp SRV 5 0 5222 www
    alias CNAME www
    alias2 CNAME alias
    outside CNAME www.example.net.
    loop1 CNAME loop2
    loop2 CNAME loop1
    *.wild A 192.0.2.99
    *.wild TXT "wildcard"
    a.b.c.ent A 192.0.2.50
    *.ent A 192.0.2.51
    sub NS ns.sub
    ns.sub A 192.0.2.53
    secure NS ns.secure
    ns.secure A 192.0.2.54
    secure DS 12345 13 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

    """

/// A child zone of example. for parent/child tests.
let secureChildZoneText = """
    $ORIGIN secure.example.
    $TTL 600
    @ SOA ns.secure.example. hostmaster.example. 7 7200 3600 1209600 60
    @ NS ns
    ns A 192.0.2.54
    host A 192.0.2.55

    """

func parseZone(_ text: String, origin: String) throws -> [Record] {
    var parser = ZoneFileParser(text: Array(text.utf8), options: .init(origin: try Name(presentation: origin)))
    return try parser.records()
}

func makeZone(_ text: String = exampleZoneText, origin: String = "example.") throws -> Zone {
    try Zone(origin: try Name(presentation: origin), records: try parseZone(text, origin: origin))
}

/// Signs `text` in the test with a fresh ECDSA P-256 key (fast), valid around now.
func makeSignedZone(
    _ text: String = exampleZoneText, origin: String = "example.", denial: DenialOfExistenceMethod = .nsec
) throws -> Zone {
    let originName = try Name(presentation: origin)
    let key = SigningKey(privateKey: try DNSSECPrivateKey.generate(.ecdsaP256SHA256), flags: 257)
    let now = UInt32(Date().timeIntervalSince1970)
    let signed = try ZoneSigner.sign(
        records: try parseZone(text, origin: origin), origin: originName, keys: [key],
        options: ZoneSigningOptions(inception: now - 3600, expiration: now + 86_400, denial: denial))
    return try Zone(origin: originName, records: signed)
}

func answerer(_ zones: Zone...) throws -> QueryAnswerer {
    QueryAnswerer(store: try ZoneStore(zones: zones))
}

func ask(
    _ answerer: QueryAnswerer, _ name: String, _ type: RRType, dnssec: Bool = false, edns: Bool = true
) throws -> Message {
    let query = Message.query(
        id: 0x1234, name: try Name(presentation: name), type: type, recursionDesired: false,
        edns: edns ? EDNS(udpPayloadSize: 1232, dnssecOK: dnssec) : nil)
    return answerer.answer(query: query)
}

extension Array where Element == Record {
    /// `owner TYPE` of each record, for compact expectations.
    var summary: [String] { map { "\($0.owner.presentation) \($0.type)" } }

    func of(_ type: RRType) -> [Record] { filter { $0.type == type } }

    /// The types covered by the RRSIGs in the section.
    var coveredTypes: [RRType] { compactMap { ($0.rdata as? RRSIG)?.typeCovered } }
}
