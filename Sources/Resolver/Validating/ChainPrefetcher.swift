import DNSSEC
import DNSWire
import EventLoop

/// Cold lookups walk the chain of trust one zone at a time (RFC 4035 §5): DS of `test.`, then
/// its DNSKEY, then the DS of `example.test.`, ... Each step waits for the last. The prefetcher
/// asks for all of them at once, in parallel with the data, so the walker's own fetches find
/// them in the stub resolver's cache (or join the query in flight): a cold lookup then costs
/// about one round trip instead of one per step.
///
/// Only a hint: the walker still checks everything. It remembers which zones' chains were
/// recently walked and prefetches only below the deepest of them; nothing below an insecure
/// delegation; and it skips `_`-labels (RFC 8552 attribute leaves such as `_443._tcp`, which are
/// not zone cuts in practice).
final class ChainPrefetcher: @unchecked Sendable {
    private struct Known {
        var expiresAt: UInt64
        var insecure: Bool
    }

    private let clock: ResolverClock
    private let capacity: Int
    private let lock = Lock()
    /// Guarded by `lock`.
    private var zones: [Name: Known] = [:]

    init(clock: ResolverClock, capacity: Int = 4096) {
        self.clock = clock
        self.capacity = max(capacity, 1)
    }

    /// The DS and DNSKEY questions the walk toward `name` will ask, below what is known.
    func questions(for name: Name, anchors: TrustAnchorStore) -> [(Name, RRType)] {
        guard let anchor = anchors.closest(to: name) else { return [] }
        let now = clock.nowMilliseconds()
        // The deepest ancestor of `name` whose chain was walked recently.
        var deepest: (zone: Name, known: Known)? = nil
        lock.withLock {
            var cursor: Name? = name
            while let current = cursor, current.isSubdomain(of: anchor.zone) {
                if let known = zones[current], known.expiresAt > now {
                    deepest = (current, known)
                    break
                }
                cursor = current == anchor.zone ? nil : current.parent
            }
        }
        if deepest?.known.insecure == true { return [] }
        var questions: [(Name, RRType)] = []
        let start = deepest?.zone ?? anchor.zone
        if deepest == nil { questions.append((anchor.zone, .dnskey)) }
        var labelCount = start.labelCount + 1
        while labelCount < name.labelCount, questions.count < 16 {
            defer { labelCount += 1 }
            guard let ancestor = name.ancestor(labelCount: labelCount) else { break }
            if ancestor.labels.first?.first == UInt8(ascii: "_") { continue }
            questions.append((ancestor, .ds))
            questions.append((ancestor, .dnskey))
        }
        return questions
    }

    /// Remembers the zones of a walked chain for `seconds`.
    func learn(_ chain: [ChainLink], seconds: UInt32) {
        learn(zones: chain.map { ($0.zone, $0.kind == .insecureDelegation) }, seconds: seconds)
    }

    /// Remembers `zones` (each with whether it is an insecure delegation) for `seconds`.
    func learn(zones chain: [(zone: Name, insecure: Bool)], seconds: UInt32) {
        guard seconds > 0, !chain.isEmpty else { return }
        let now = clock.nowMilliseconds()
        let expiresAt = now + UInt64(seconds) * 1000
        lock.withLock {
            if zones.count + chain.count > capacity {
                zones = zones.filter { $0.value.expiresAt > now }
                if zones.count + chain.count > capacity { zones.removeAll(keepingCapacity: true) }
            }
            for link in chain {
                zones[link.zone] = Known(expiresAt: expiresAt, insecure: link.insecure)
            }
        }
    }

    func removeAll() {
        lock.withLock { zones.removeAll() }
    }
}
