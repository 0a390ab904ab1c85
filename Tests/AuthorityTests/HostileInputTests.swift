import Authority
import DNSSEC
import DNSWire
import Testing

/// DESIGN.md rule 11: whatever bytes arrive, the responder gives a response or nothing, never
/// a crash or a hang. Deterministic mutations of real queries (a fixed-seed generator).
@Suite struct HostileInputTests {
    /// xorshift64*, seeded: the same inputs on every run.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    }

    @Test func mutatedQueriesNeverCrashTheResponder() throws {
        let responder = QueryResponder(answerer: try answerer(try makeSignedZone(denial: .nsec3(NSEC3Parameters()))))
        var seeds: [[UInt8]] = []
        for (name, type) in [("www.example.", RRType.a), ("nothing.example.", .a), ("x.wild.example.", .txt),
                             ("host.sub.example.", .a), ("alias2.example.", .aaaa)] {
            seeds.append(try Message.query(id: 1, name: try Name(presentation: name), type: type).encode())
        }
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        var answered = 0
        for round in 0..<3000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<(1 + generator.below(4)) {
                switch generator.below(4) {
                case 0: bytes[generator.below(bytes.count)] = UInt8(truncatingIfNeeded: generator.next())
                case 1: bytes.removeLast(min(bytes.count, generator.below(8)))
                case 2: bytes.append(UInt8(truncatingIfNeeded: generator.next()))
                default: bytes.insert(0xC0, at: generator.below(bytes.count + 1))  // compression pointers
                }
            }
            for transport in [QueryResponder.Transport.udp, .tcp] {
                if let response = responder.respond(to: bytes, transport: transport) {
                    answered += 1
                    let message = try Message(bytes: response)
                    #expect(message.header.isResponse)
                    if transport == .udp { #expect(response.count <= 1232) }
                }
            }
        }
        #expect(answered > 0)
    }
}
