internal import CLibUV

/// The lifetime of one heap-allocated libuv handle, shared by every handle type.
///
/// The handle's `data` holds this object, retained (`Unmanaged.passRetained`) once the
/// handle is initialised. `close()` is idempotent; the retain is released exactly once, in
/// libuv's close callback, and only then is the handle memory free to go (libuv touches it
/// until that callback). Subclasses are confined to their loop's thread.
public class LoopHandle: @unchecked Sendable {
    /// Where a handle stands between `uv_*_init` and its close callback.
    enum Lifecycle {
        case uninitialized, open, closing, closed
    }

    public let loop: EventLoop
    /// The handle memory, sized for the concrete libuv type.
    let memory: UnsafeMutableRawPointer
    private(set) var lifecycle: Lifecycle = .uninitialized
    private var closeCompletions: [() -> Void] = []

    init<HandleType>(loop: EventLoop, type: HandleType.Type) {
        self.loop = loop
        memory = .allocate(
            byteCount: MemoryLayout<HandleType>.size, alignment: MemoryLayout<HandleType>.alignment)
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<HandleType>.size)
    }

    deinit {
        // Open handles are retained by libuv's `data`, so an open handle cannot get here.
        assert(lifecycle != .open && lifecycle != .closing, "libuv handle freed before close()")
        memory.deallocate()
    }

    /// The memory as the concrete libuv type.
    @inline(__always)
    func pointer<HandleType>(as type: HandleType.Type) -> UnsafeMutablePointer<HandleType> {
        memory.assumingMemoryBound(to: HandleType.self)
    }

    /// The memory as the common `uv_handle_t`.
    var handle: UnsafeMutablePointer<uv_handle_t> { pointer(as: uv_handle_t.self) }

    /// Call right after a successful `uv_*_init`: from here on the handle must be closed.
    func didInitialize() {
        precondition(lifecycle == .uninitialized)
        lifecycle = .open
        uv_handle_set_data(handle, Unmanaged.passRetained(self).toOpaque())
        loop.register(self)
    }

    /// True until `close()` is called.
    public var isOpen: Bool { lifecycle == .open }

    /// Closes the handle. Pending requests (writes, shutdowns, connects) complete with
    /// `ECANCELED` before `completion` runs on a later loop iteration. Closing again is
    /// harmless: a completion given then runs when the first close finishes, or at once
    /// if the handle is already closed.
    public func close(_ completion: (() -> Void)? = nil) {
        loop.assertInLoopThread()
        switch lifecycle {
        case .open:
            lifecycle = .closing
            if let completion { closeCompletions.append(completion) }
            willClose()
            uv_close(handle, loopHandleCloseCallback)
        case .closing:
            if let completion { closeCompletions.append(completion) }
        case .closed, .uninitialized:
            completion?()
        }
    }

    /// Runs once when `close()` starts, before `uv_close`; subclasses stop timers and the like.
    func willClose() {}

    /// Runs once in the close callback; subclasses drop their callbacks here (breaking any
    /// cycle through closures) and release resources libuv no longer uses.
    func didClose() {}

    fileprivate func finishClose() {
        lifecycle = .closed
        uv_handle_set_data(handle, nil)
        loop.unregister(self)
        didClose()
        let completions = closeCompletions
        closeCompletions = []
        for completion in completions { completion() }
    }
}

private func loopHandleCloseCallback(_ handle: UnsafeMutablePointer<uv_handle_t>?) {
    guard let handle, let data = uv_handle_get_data(handle) else { return }
    // Balances the passRetained of didInitialize(): the one release of this handle's retain.
    let object = Unmanaged<LoopHandle>.fromOpaque(data).takeRetainedValue()
    object.finishClose()
}

/// Recovers the Swift object of a handle inside a libuv callback.
@inline(__always)
func loopHandleObject<Object: LoopHandle>(
    _ handle: UnsafeMutableRawPointer?, as type: Object.Type
) -> Object? {
    guard let handle,
        let data = uv_handle_get_data(handle.assumingMemoryBound(to: uv_handle_t.self))
    else { return nil }
    // Each libuv callback is registered only by the class that owns that handle type.
    return Unmanaged<Object>.fromOpaque(data).takeUnretainedValue()
}
