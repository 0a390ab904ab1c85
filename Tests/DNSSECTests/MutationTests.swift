import DNSSEC
import DNSWire
import Testing

/// Deterministic mutations of the RFC 4035 Appendix B responses: flipped bytes in RDATA, changed
/// owners and dropped records never crash or hang the validator, and a change to signed data is
/// never reported secure.
@Suite struct MutationTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
    }

    @Test func mutatedResponsesNeverCrash() async throws {
        let validator = try AppendixResponseTests.validator("rfc4035")
        let responses = try AppendixResponseTests.responses("rfc4035")
        var generator = Generator(state: 20_040_509)
        var checked = 0
        for response in responses {
            let (original, question) = try AppendixResponseTests.message(response)
            let baseline = await validator.validate(original, for: question)
            for _ in 0..<60 {
                var message = original
                var sections = [message.answers, message.authority]
                let section = generator.below(2)
                guard !sections[section].isEmpty else { continue }
                let index = generator.below(sections[section].count)
                var record = sections[section][index]
                let before = record
                var touchedSignedData = true
                switch generator.below(3) {
                case 0:
                    // Flip one byte of the RDATA (when it still decodes).
                    var wire = try record.rdata.wireRDATA()
                    guard !wire.isEmpty else { continue }
                    wire[generator.below(wire.count)] ^= UInt8(1 << generator.below(8))
                    guard let rdata = try? RDATARegistry.decode(type: record.type, rdata: wire) else { continue }
                    record.rdata = rdata
                    sections[section][index] = record
                case 1:
                    record.owner = (try? record.owner.prepending(label: Array("zz".utf8))) ?? record.owner
                    sections[section][index] = record
                default:
                    sections[section].remove(at: index)
                    touchedSignedData = false
                }
                message.answers = sections[0]
                message.authority = sections[1]
                let result = await validator.validate(message, for: question)
                checked += 1
                // A change that leaves the canonical form alone (letter case) is no change.
                let same = (try? before.canonicalWire()) == (try? record.canonicalWire())
                if touchedSignedData, !same, baseline.status.isSecure, result.status.isSecure {
                    // Only unsigned records (NS of a referral, glue) or records no proof uses
                    // (a renamed spare) may change and leave the answer secure.
                    let signedOwners = Set((original.answers + original.authority).filter { $0.type == .rrsig }.map(\.owner))
                    #expect(!signedOwners.contains(record.owner) || record.type == .rrsig || record.type == .ns,
                            "\(response.file): secure after changing \(before.presentation) to \(record.presentation)")
                }
            }
        }
        #expect(checked > 200)
    }
}
