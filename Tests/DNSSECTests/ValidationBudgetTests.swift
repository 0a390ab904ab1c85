import DNSSEC
import DNSWire
import Testing

/// Issue 9, hole 4: validation work has a budget per response and per lookup (KeyTrap,
/// CVE-2023-50387; NSEC3 closest-encloser, CVE-2023-50868). A crafted worst-case response is
/// refused as bogus, naming the budget, and the validator goes on serving other lookups.
@Suite struct ValidationBudgetTests {
    /// An NXDOMAIN whose authority section holds `count` NSEC RRsets of the zone, each with
    /// eight RRSIGs under the zone key's tag and algorithm that do not verify: without a budget
    /// every one costs a public-key operation.
    static func keyTrap(_ hierarchy: TestHierarchy, count: Int) throws -> (Message, Question) {
        let question = Question(name: "nope.example.test.", type: .a)
        var authority: [Record] = []
        for index in 0..<count {
            let owner = try Name(presentation: "n\(index).example.test.")
            let set = RRset(
                owner: owner, type: .nsec, rrClass: .internet, ttl: 3600,
                rdatas: [NSEC(nextName: "example.test.", types: TypeBitmap([.a, .rrsig, .nsec]))])
            authority += set.rdatas.map { Record(owner: owner, ttl: 3600, rdata: $0) }
            var signature = try hierarchy.example.sign(set)
            for junk in 0..<8 {
                signature.signature[junk] ^= 0x5A
                authority.append(Record(owner: owner, ttl: 3600, rdata: signature))
            }
        }
        var message = Message(header: Header(isResponse: true), questions: [question], authority: authority)
        message.rcode = .nxDomain
        return (message, question)
    }

    @Test func aKeyTrapResponseIsRefusedByTheBudget() async throws {
        let hierarchy = try TestHierarchy()
        let validator = try hierarchy.validator(try hierarchy.fetcher())
        let (message, question) = try Self.keyTrap(hierarchy, count: 300)
        // Other lookups on the same validator go on beside the hostile one.
        async let hostile = validator.validate(message, for: question)
        async let honest = validator.lookup(TestHierarchy.tlsaName, .tlsa)
        let (refused, (_, answered)) = await (hostile, honest)
        #expect(answered.status == .secure, "\(answered)")
        #expect(refused.status.isBogus)
        #expect(refused.status.reason?.text.contains("validation budget exceeded") == true, "\(refused.status)")
        #expect(refused.status.reason?.code == .dnssecBogus)
        // And after it.
        #expect(await validator.lookup("www.test.", .a).result.status == .secure)
    }

    /// An NXDOMAIN for a name 100 labels below an NSEC3 zone at the iteration limit: the
    /// closest-encloser search would hash every ancestor.
    @Test func deepNSEC3SearchIsRefusedByTheBudget() async throws {
        let hierarchy = try TestHierarchy(denial: "nsec3", nsec3Iterations: 150)
        let fetcher = try hierarchy.fetcher()
        let validator = try hierarchy.validator(fetcher)
        let deep = try Name(presentation: String(repeating: "a.", count: 100) + "example.test.")
        let (_, result) = await validator.lookup(deep, .a)
        #expect(result.status.isBogus)
        #expect(result.status.reason?.text.contains("validation budget exceeded") == true, "\(result.status)")
        // A name of ordinary depth is still proven absent.
        #expect(await validator.lookup("a.b.c.example.test.", .a).result.status == .secure)
    }

    /// The budgets are configurable: a per-lookup limit below what a cold chain needs refuses
    /// even an honest answer (so the count really spans the chain walk).
    @Test func theLookupBudgetSpansTheChainWalk() async throws {
        let hierarchy = try TestHierarchy()
        let tight = try hierarchy.validator(try hierarchy.fetcher(), configuration: ValidatorConfiguration(signatureChecksPerLookup: 2))
        let (_, result) = await tight.lookup(TestHierarchy.tlsaName, .tlsa)
        #expect(result.status.isBogus)
        #expect(result.status.reason?.text.contains("for one lookup") == true, "\(result.status)")
        let roomy = try hierarchy.validator(try hierarchy.fetcher())
        #expect(await roomy.lookup(TestHierarchy.tlsaName, .tlsa).result.status == .secure)
    }
}
