import DNSWire
import EventLoop

/// Validated answers by (name, type), each kept until its own deadline: min(TTL, RRSIG
/// expiration − now) for secure data (DESIGN.md rule 10, RFC 4035 §5.3.3), a short fixed time for
/// bogus data and failures. A warm lookup is one lock and one dictionary probe.
///
/// Thread-safe. When `capacity` is reached, expired entries go first; if none has expired, the
/// whole cache is emptied (a cold chain costs a few round trips; unbounded memory is worse).
final class ValidatedAnswerCache: @unchecked Sendable {
    struct Key: Hashable, Sendable {
        var name: Name
        var type: RRType
    }

    private struct Entry {
        var answer: ValidatedAnswer
        var expiresAt: UInt64
    }

    let capacity: Int
    let clock: ResolverClock
    private let lock = Lock()
    /// Guarded by `lock`.
    private var entries: [Key: Entry] = [:]

    init(capacity: Int, clock: ResolverClock) {
        self.capacity = max(capacity, 1)
        self.clock = clock
    }

    /// The live answer for `key` with its remaining seconds (at least 1) and `fromCache` set.
    func lookup(_ key: Key) -> ValidatedAnswer? {
        let now = clock.nowMilliseconds()
        return lock.withLock {
            guard let entry = entries[key] else { return nil }
            guard entry.expiresAt > now else {
                entries[key] = nil
                return nil
            }
            var answer = entry.answer
            answer.fromCache = true
            answer.remainingTTL = UInt32(clamping: (entry.expiresAt - now + 999) / 1000)
            return answer
        }
    }

    /// Keeps `answer` for `seconds` (nothing happens for 0).
    func store(_ answer: ValidatedAnswer, for key: Key, seconds: UInt32) {
        guard seconds > 0 else { return }
        let now = clock.nowMilliseconds()
        let entry = Entry(answer: answer, expiresAt: now + UInt64(seconds) * 1000)
        lock.withLock {
            if entries[key] == nil, entries.count >= capacity {
                entries = entries.filter { $0.value.expiresAt > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[key] = entry
        }
    }

    func removeAll() {
        lock.withLock { entries.removeAll() }
    }

    var count: Int { lock.withLock { entries.count } }
}
