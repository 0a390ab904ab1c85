import Cryptography
import DNSWire

/// DNS 0x20 (draft-vixie-dnsext-dns0x20): the letters of the query name get a random case,
/// and a response must echo it exactly. It adds about one bit of entropy per letter to what
/// a forger must guess; servers echo the question as sent, but some old ones do not.
enum NameCaseRandomizer {
    static func randomized(_ name: Name) -> Name {
        var wire = name.wire
        let random = SecureRandom.bytes(wire.count)
        var offset = 0
        while offset < wire.count, wire[offset] != 0 {
            let length = Int(wire[offset])
            for index in (offset + 1)..<(offset + 1 + length) {
                let lower = wire[index] | 0x20
                if lower >= 0x61 && lower <= 0x7A {
                    wire[index] = random[index] & 1 == 0 ? lower : lower & ~0x20
                }
            }
            offset += 1 + length
        }
        // Only letter case changed, so the wire form is still a valid name.
        return (try? Name(wire: wire)) ?? name
    }
}
