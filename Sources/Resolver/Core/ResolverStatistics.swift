/// Counters of one `StubResolver`. Every dropped datagram is counted by why it was dropped,
/// so spoofing attempts are visible (DESIGN.md rule 10).
public struct ResolverStatistics: Sendable, Equatable, CustomStringConvertible {
    /// Lookups that went to the network (cache misses that were not coalesced).
    public var transactions = 0
    public var udpQueriesSent = 0
    public var tcpQueriesSent = 0
    /// Answers accepted: right source, ID and question.
    public var responsesAccepted = 0
    /// Datagrams from the server's address with the wrong ID or question, or not a response.
    public var droppedMismatched = 0
    /// Datagrams from any other address or port than the server queried.
    public var droppedWrongSource = 0
    /// Datagrams that were not DNS messages at all.
    public var droppedMalformed = 0
    /// Per-server waits that ended without an acceptable answer.
    public var timeouts = 0
    /// UDP answers with TC set (followed by a TCP retry when allowed).
    public var truncatedResponses = 0
    /// Answers with SERVFAIL, REFUSED, NOTIMP or FORMERR, after which the next server is tried.
    public var serverFailures = 0
    public var cacheHits = 0
    public var cacheMisses = 0
    /// Lookups that joined an identical lookup already in flight instead of sending a query.
    public var coalesced = 0
    /// Lookups that ended with a `ResolverError`.
    public var failures = 0

    public init() {}

    /// Every datagram dropped, whatever the reason.
    public var droppedTotal: Int { droppedMismatched + droppedWrongSource + droppedMalformed }

    public var description: String {
        "transactions=\(transactions) udp=\(udpQueriesSent) tcp=\(tcpQueriesSent) accepted=\(responsesAccepted) "
            + "droppedMismatched=\(droppedMismatched) droppedWrongSource=\(droppedWrongSource) "
            + "droppedMalformed=\(droppedMalformed) timeouts=\(timeouts) truncated=\(truncatedResponses) "
            + "serverFailures=\(serverFailures) cacheHits=\(cacheHits) cacheMisses=\(cacheMisses) "
            + "coalesced=\(coalesced) failures=\(failures)"
    }
}

/// The counters, shared by reference between a resolver and its transactions (loop thread only).
final class StatisticsRecorder {
    var counters = ResolverStatistics()
}
