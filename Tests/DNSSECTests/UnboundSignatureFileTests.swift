import DNSSEC
import DNSWire
import Testing

/// Unbound's testdata/test_sigs.* and test_signatures.9: the first entry is the DNSKEY set;
/// every later RRset with RRSIGs must verify, except where the owner or query name starts
/// with the label "bogus", which must fail. As in Unbound's harness, every algorithm of the
/// DNSKEY set needs a valid signature. The time is one second after the latest inception of
/// the RRSIGs that must verify, inside every window.
@Suite struct UnboundSignatureFileTests {
    static let files: [String] = (try? VectorFiles.files(in: "unbound/testdata", prefix: "test_sig")) ?? []

    /// The RRsets with RRSIGs each file checks after its DNSKEY entry (counted independently of
    /// this code: RRsets of the ANSWER sections that have an RRSIG), and how many of them must fail.
    static let casesPerFile: [String: (cases: Int, mustFail: Int)] = [
        "test_signatures.9": (1, 0), "test_sigs.ecdsa_p256": (1, 0), "test_sigs.ecdsa_p384": (1, 0),
        "test_sigs.ed25519": (1, 0), "test_sigs.ed448": (1, 0), "test_sigs.rsasha256": (1, 0),
        "test_sigs.rsasha256_draft": (1, 0), "test_sigs.rsasha512_draft": (1, 0), "test_sigs.sha1_and_256": (4, 3),
    ]

    /// test_ds.*: the entries of each file.
    static let dsEntriesPerFile: [String: Int] = ["test_ds.sha1": 3, "test_ds.sha384": 4]
    static let dsFiles: [String] = (try? VectorFiles.files(in: "unbound/testdata", prefix: "test_ds")) ?? []

    @Test func exactlyTheExpectedFilesRun() {
        #expect(Self.files == Self.casesPerFile.keys.sorted())
        #expect(Self.dsFiles == Self.dsEntriesPerFile.keys.sorted())
    }

    @Test(arguments: files)
    func unboundVerdict(file: String) throws {
        let entries = try LDNSEntry.entries(in: VectorFiles.text("unbound/testdata/\(file)"))
        let first = try #require(entries.first)
        let dnskeys = try SignedRRset.group(first.answer).filter { $0.type == .dnskey }
        let dnskeySet = try #require(dnskeys.first)
        let keys = ZoneKeySet(rrset: dnskeySet.rrset)
        let algorithms = Set(keys.keys.map(\.algorithm))

        var cases: [(set: SignedRRset, mustFail: Bool)] = []
        for entry in entries.dropFirst() {
            let qnameBogus = entry.question?.name.labels.first.map { Array($0) == Array("bogus".utf8) } ?? false
            for set in try SignedRRset.group(entry.answer) where !set.signatures.isEmpty {
                let ownerBogus = set.owner.labels.first.map { Array($0) == Array("bogus".utf8) } ?? false
                cases.append((set, qnameBogus || ownerBogus))
            }
        }
        let expected = try #require(Self.casesPerFile[file], "\(file) is not in the table")
        #expect(cases.count == expected.cases && cases.filter(\.mustFail).count == expected.mustFail, "\(file)")
        let inceptions = cases.filter { !$0.mustFail }.flatMap(\.set.signatures).map(\.inception)
        let now = (inceptions.max() ?? 0) &+ 1
        for (set, mustFail) in cases {
            let result = RRsetVerifier.verify(set, with: keys, now: now, requiredAlgorithms: algorithms)
            if mustFail {
                #expect(!result.isVerified, "\(file): \(set.owner.presentation) \(set.type) verified but must fail")
            } else if case .failed(let reason) = result {
                Issue.record("\(file): \(set.owner.presentation) \(set.type): \(reason)")
            }
        }
    }

    /// test_ds.*: a DS whose query name starts with "yes" matches its DNSKEY; "no" does not.
    @Test(arguments: dsFiles)
    func dsMatchVerdict(file: String) throws {
        let entries = try LDNSEntry.entries(in: VectorFiles.text("unbound/testdata/\(file)"))
        #expect(entries.count == Self.dsEntriesPerFile[file], "\(file)")
        for entry in entries {
            let question = try #require(entry.question)
            let label = String(decoding: question.name.labels.first ?? [], as: UTF8.self)
            let ds = try #require(entry.answer.first { $0.type == .ds })
            let dnskey = try #require(entry.answer.first { $0.type == .dnskey })
            let dsRecord = try #require(ds.rdata as? DS)
            let key = ZoneKey(try #require(dnskey.rdata as? DNSKEY))
            let matches = DSMatcher.matches(dsRecord, key: key, owner: dnskey.owner) && ds.owner == dnskey.owner
            #expect(matches == label.hasPrefix("yes"), "\(file): \(ds.presentation)")
        }
    }
}
