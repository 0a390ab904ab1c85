import DNSSEC
import DNSWire
import Testing

/// The NSEC and NSEC3 chains the signer builds (RFC 4034 §4, RFC 5155 §7.1).
@Suite struct ChainBuilderTests {
    let origin = name("z.test.")

    @Test func nsecChainIsCanonicalAndCircular() throws {
        let owners: [(name: Name, types: Set<RRType>)] = [
            (name("b.z.test."), [.a]), (name("z.test."), [.soa, .ns]), (name("a.z.test."), [.txt]),
        ]
        let chain = NSECChainBuilder.build(origin: origin, owners: owners, ttl: 60)
        #expect(chain.map(\.owner) == [name("z.test."), name("a.z.test."), name("b.z.test.")])
        let next = chain.compactMap { ($0.rdata as? NSEC)?.nextName }
        #expect(next == [name("a.z.test."), name("b.z.test."), name("z.test.")])
        let apexTypes = try #require(chain.first?.rdata as? NSEC).types
        #expect(apexTypes.types == [.ns, .soa, .rrsig, .nsec])
        #expect(chain.allSatisfy { $0.ttl == 60 })
    }

    @Test func nsec3ChainHasEmptyNonTerminalsAndLinksHashesInOrder() throws {
        let owners = [
            NSEC3ChainBuilder.Owner(name: origin, types: [.soa, .ns, .rrsig]),
            NSEC3ChainBuilder.Owner(name: name("a.b.c.z.test."), types: [.a, .rrsig]),
        ]
        let chain = try NSEC3ChainBuilder.build(origin: origin, owners: owners, parameters: NSEC3Parameters(), ttl: 60)
        // The apex, the name, and the empty non-terminals b.c and c.
        #expect(chain.count == 4)
        let hashes = chain.map { ownerHash($0) }
        #expect(hashes == hashes.sorted { $0.lexicographicallyPrecedes($1) })
        for (index, record) in chain.enumerated() {
            let nsec3 = try #require(record.rdata as? NSEC3)
            #expect(nsec3.nextHashedOwner == hashes[(index + 1) % hashes.count])
            #expect(nsec3.flags == 0)
        }
        let emptyNonTerminal = try #require(chain.first { matches($0, name("c.z.test."), salt: []) })
        #expect((emptyNonTerminal.rdata as? NSEC3)?.types.types.isEmpty == true)
    }

    @Test func optOutLeavesInsecureDelegationsAndTheirEmptyNonTerminalsOut() throws {
        let owners = [
            NSEC3ChainBuilder.Owner(name: origin, types: [.soa, .ns, .rrsig]),
            NSEC3ChainBuilder.Owner(name: name("child.deep.z.test."), types: [.ns], isInsecureDelegation: true),
            NSEC3ChainBuilder.Owner(name: name("signed.z.test."), types: [.ns, .ds, .rrsig]),
        ]
        let optOut = try NSEC3ChainBuilder.build(
            origin: origin, owners: owners, parameters: NSEC3Parameters(optOut: true), ttl: 60)
        #expect(optOut.count == 2)
        #expect(optOut.allSatisfy { ($0.rdata as? NSEC3)?.isOptOut == true })
        #expect(!optOut.contains { matches($0, name("deep.z.test."), salt: []) })
        let full = try NSEC3ChainBuilder.build(origin: origin, owners: owners, parameters: NSEC3Parameters(), ttl: 60)
        #expect(full.count == 4)
    }

    @Test func nsec3ParametersAreChecked() {
        #expect(throws: ZoneSigningError.self) {
            _ = try NSEC3ChainBuilder.build(
                origin: origin, owners: [], parameters: NSEC3Parameters(iterations: 5000), ttl: 60)
        }
    }
}
