import DNSWire

/// The three record sections of a response being built, each RRset added at most once per
/// section, each followed by its RRSIGs (so truncation keeps a set and its signatures
/// together, as ``Message/encode(maxSize:)`` expects).
struct ResponseSections {
    enum Section { case answer, authority, additional }

    private struct Key: Hashable {
        var owner: Name
        var type: RRType
        var section: Int
    }

    var answer: [Record] = []
    var authority: [Record] = []
    var additional: [Record] = []
    private var seen: Set<Key> = []

    /// Adds `records` (one RRset, all of the same owner and type) and `signatures` to
    /// `section` unless that owner and type are already there.
    mutating func add(_ records: [Record], signatures: [Record] = [], to section: Section) {
        guard let first = records.first else { return }
        let index: Int
        switch section {
        case .answer: index = 0
        case .authority: index = 1
        case .additional: index = 2
        }
        guard seen.insert(Key(owner: first.owner, type: first.type, section: index)).inserted else { return }
        switch section {
        case .answer:
            answer += records
            answer += signatures
        case .authority:
            authority += records
            authority += signatures
        case .additional:
            additional += records
            additional += signatures
        }
    }

    /// True when `owner` `type` is already in any section (an address record in the answer
    /// need not be repeated as additional data, RFC 2181 §5.4.1 spirit).
    func contains(owner: Name, type: RRType) -> Bool {
        (0...2).contains { seen.contains(Key(owner: owner, type: type, section: $0)) }
    }
}
