/// Encoded responses by query, for the server's hot path.
///
/// ``QueryResponder/respond(to:transport:)`` is a pure function of the query bytes apart from
/// the message ID (it reads nothing else: no clock, no client address), so two queries that
/// differ only in ID get responses that differ only in ID. The cache keys on the query after
/// its ID and patches the ID into the stored response. One cache belongs to one responder (a
/// reload makes a new one) and one transport (the size limits differ); it is confined to the
/// loop thread. Bounded: when full it is emptied, so hostile query streams cost at most
/// `capacity` entries of memory.
final class ResponseCache {
    private var entries: [[UInt8]: [UInt8]] = [:]
    let capacity: Int
    /// Queries longer than this are answered without the cache (real queries are short).
    static let maxCachedQuery = 512

    init(capacity: Int = 8192) {
        self.capacity = capacity
    }

    func response(to query: [UInt8], computing compute: ([UInt8]) -> [UInt8]?) -> [UInt8]? {
        guard query.count >= 12, query.count <= Self.maxCachedQuery else { return compute(query) }
        let key = Array(query[2...])
        if var cached = entries[key] {
            cached[0] = query[0]
            cached[1] = query[1]
            return cached
        }
        guard let response = compute(query), response.count >= 2 else { return nil }
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = response
        return response
    }
}
