/// Bounds the gateway keeps per connection (DESIGN rules 1 and 11).
public struct GatewayLimits: Sendable {
    /// Early client bytes held before the upstream is authenticated; beyond this the client
    /// is not read until then.
    public var earlyBytes: Int
    /// A relay stops reading one side while the other side has this much queued
    /// (backpressure), and resumes at a quarter of it.
    public var relayHighWatermark: Int
    /// How long a refused client may still send before its connection is closed (so it reads
    /// the refusal instead of a reset).
    public var refusalLinger: Duration
    /// How long a relay whose one direction has ended may wait for the other.
    public var halfCloseTimeout: Duration

    public init(
        earlyBytes: Int = 64 * 1024, relayHighWatermark: Int = 1 << 20, refusalLinger: Duration = .seconds(2),
        halfCloseTimeout: Duration = .seconds(60)
    ) {
        self.earlyBytes = earlyBytes
        self.relayHighWatermark = relayHighWatermark
        self.refusalLinger = refusalLinger
        self.halfCloseTimeout = halfCloseTimeout
    }
}
