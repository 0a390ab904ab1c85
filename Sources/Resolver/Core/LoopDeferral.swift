import EventLoop

/// Carries a loop-confined value through `EventLoop.execute`, whose closures must be
/// `Sendable`: the value is only touched again on the same loop's thread.
struct LoopConfined<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

extension EventLoop {
    /// Runs `body` on a later turn of this loop (never inside the current call); from the loop
    /// thread only. Used to report failures that happen before any I/O started.
    func later(_ body: @escaping () -> Void) {
        let box = LoopConfined(body)
        execute { box.value() }
    }
}
