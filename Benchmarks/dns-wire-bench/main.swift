// DNS message decode/encode throughput for two typical messages: a 3-record answer with EDNS
// and a 10-record DNSSEC answer. Writes each message's wire bytes into FOLDER (so
// scripts/bench-dns can time dnspython on the very same bytes) and prints messages per second.
// Usage: dns-wire-bench FOLDER [ITERATIONS]
import DNSWire
import Foundation

let folder = CommandLine.arguments.dropFirst().first ?? "."
let iterations = CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 200_000

func makeAnswer() throws -> Message {
    var m = Message(header: Header(id: 1, isResponse: true, recursionDesired: true, recursionAvailable: true),
                    questions: [Question(name: "www.example.com.", type: .a)])
    m.answers = [
        Record(owner: "www.example.com.", ttl: 300, rdata: CNAME("web.example.com.")),
        Record(owner: "web.example.com.", ttl: 300, rdata: A(192, 0, 2, 1)),
        Record(owner: "web.example.com.", ttl: 300, rdata: A(192, 0, 2, 2)),
    ]
    m.edns = EDNS(udpPayloadSize: 1232, dnssecOK: false)
    return m
}

func tokens(_ s: String) -> [PresentationToken] { s.split(separator: " ").map { PresentationToken(String($0)) } }

func makeDNSSEC() throws -> Message {
    var m = Message(header: Header(id: 2, isResponse: true, recursionDesired: true, recursionAvailable: true, authenticData: true),
                    questions: [Question(name: "_25._tcp.mail.example.com.", type: .tlsa)])
    let owner: Name = "_25._tcp.mail.example.com."
    let sig = "c2lnbmF0dXJlIGJ5dGVzIHNpZ25hdHVyZSBieXRlcyBzaWduYXR1cmUgYnl0ZXMgc2lnbmF0dXJlIGJ5dGVzIDEyMzQ1Njc4OTAxMg=="
    m.answers = [
        Record(owner: owner, ttl: 300, rdata: try parseRDATA(type: .tlsa, tokens: tokens("3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), origin: nil)),
        Record(owner: owner, ttl: 300, rdata: try parseRDATA(type: .tlsa, tokens: tokens("2 0 1 1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), origin: nil)),
        Record(owner: owner, ttl: 300, rdata: try parseRDATA(type: .rrsig, tokens: tokens("TLSA 13 5 300 20300101000000 20200101000000 4242 example.com. \(sig)"), origin: nil)),
    ]
    m.authority = [
        Record(owner: "example.com.", ttl: 300, rdata: NS("ns1.example.com.")),
        Record(owner: "example.com.", ttl: 300, rdata: NS("ns2.example.com.")),
        Record(owner: "example.com.", ttl: 300, rdata: try parseRDATA(type: .rrsig, tokens: tokens("NS 13 2 300 20300101000000 20200101000000 4242 example.com. \(sig)"), origin: nil)),
        Record(owner: "example.com.", ttl: 300, rdata: try parseRDATA(type: .nsec, tokens: tokens("a.example.com. NS SOA RRSIG NSEC DNSKEY"), origin: nil)),
    ]
    m.additional = [
        Record(owner: "ns1.example.com.", ttl: 300, rdata: A(192, 0, 2, 53)),
        Record(owner: "ns2.example.com.", ttl: 300, rdata: A(192, 0, 2, 54)),
        Record(owner: "ns1.example.com.", ttl: 300, rdata: try parseRDATA(type: .rrsig, tokens: tokens("A 13 3 300 20300101000000 20200101000000 4242 example.com. \(sig)"), origin: nil)),
    ]
    m.edns = EDNS(udpPayloadSize: 1232, dnssecOK: true)
    return m
}

func bench(_ name: String, _ message: Message) throws {
    let bytes = try message.encode()
    try bytes.withUnsafeBytes { try Data($0).write(to: URL(fileURLWithPath: folder + "/\(name).bin")) }
    let n = iterations
    var start = Date()
    var total = 0
    for _ in 0..<n { total &+= try Message(bytes: bytes).answers.count }
    let dec = Double(n) / Date().timeIntervalSince(start)
    start = Date()
    for _ in 0..<n { total &+= try message.encode().count }
    let enc = Double(n) / Date().timeIntervalSince(start)
    print("\(name) \(bytes.count) \(Int(dec)) \(Int(enc)) \(total)")
}

try bench("answer3", makeAnswer())
try bench("dnssec10", makeDNSSEC())
