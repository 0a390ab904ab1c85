internal import CLibUV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One libuv loop (`uv_loop_t`) and the thread that runs it.
///
/// Every handle of a loop (streams, listeners, timers, ...) is touched only on the loop's
/// thread. Other threads reach the loop through `execute(_:)`, which queues work under a lock
/// and wakes the loop with `uv_async_send` (libuv's only thread-safe call). `stop()` closes
/// every open handle of the loop, after which `run()` returns.
public final class EventLoop: @unchecked Sendable {
    /// The libuv loop; only for this module's handles.
    let uvLoop: UnsafeMutablePointer<uv_loop_t>
    /// The wake-up handle for `execute(_:)`; its `data` is this loop, unretained.
    private let wakeUp: UnsafeMutablePointer<uv_async_t>
    private var wakeUpClosed = false

    private let lock = Lock()
    /// Guarded by `lock`.
    private var pendingWork: [@Sendable () -> Void] = []
    /// Guarded by `lock`. False once `stop()` has run on the loop.
    private var acceptsWork = true

    /// The thread that runs (or will run) the loop. Written by `init` and `run()` only,
    /// before any other thread may look at the loop (see `EventLoopThread`).
    private var ownerThread: pthread_t

    /// Handles that are open, so that `stop()` can close them. Loop thread only.
    private var openHandles: [ObjectIdentifier: LoopHandle] = [:]

    /// Size of the loop's shared read buffer: one buffer serves every stream and socket
    /// of the loop, since libuv reads one handle at a time and readers must not keep it.
    static let readBufferSize = 64 * 1024
    /// The shared read buffer handed out by the `alloc_cb`s of this loop's handles.
    let readBuffer: UnsafeMutableRawPointer
    /// Spare write buffers for this loop's streams. Loop thread only.
    var writeRequestPool = WriteRequestPool()

    /// Creates a loop owned by the calling thread (until another thread calls `run()`).
    public init() throws(EventLoopError) {
        EventLoop.ignoreBrokenPipeSignal
        uvLoop = .allocate(capacity: 1)
        let status = uv_loop_init(uvLoop)
        if status < 0 {
            uvLoop.deallocate()
            throw EventLoopError(code: status, operation: "uv_loop_init")
        }
        wakeUp = .allocate(capacity: 1)
        readBuffer = .allocate(byteCount: EventLoop.readBufferSize, alignment: 16)
        ownerThread = pthread_self()
        let asyncStatus = uv_async_init(uvLoop, wakeUp, eventLoopWakeUpCallback)
        // uv_async_init fails only on fd exhaustion (eventfd); the loop is unusable then.
        if asyncStatus < 0 {
            uv_loop_close(uvLoop)
            uvLoop.deallocate()
            wakeUp.deallocate()
            readBuffer.deallocate()
            throw EventLoopError(code: asyncStatus, operation: "uv_async_init")
        }
        uv_handle_set_data(asHandle(wakeUp), Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        if !wakeUpClosed {
            // The loop was never stopped: close the wake-up handle without calling back
            // into this (dying) object, and let libuv finish the close.
            uv_close(asHandle(wakeUp), nil)
            uv_run(uvLoop, UV_RUN_NOWAIT)
        }
        let status = uv_loop_close(uvLoop)
        assert(status == 0, "EventLoop deinit with open handles: \(status)")
        uvLoop.deallocate()
        wakeUp.deallocate()
        readBuffer.deallocate()
    }

    /// libuv writes to sockets with write(2), so a peer that has gone would kill the process
    /// with SIGPIPE; we want EPIPE as an error value instead.
    private static let ignoreBrokenPipeSignal: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    // MARK: Running

    /// Runs the loop on the calling thread until `stop()` has closed every handle.
    public func run() {
        ownerThread = pthread_self()
        uv_run(uvLoop, UV_RUN_DEFAULT)
    }

    /// Queues `work` to run on the loop's thread, from any thread. Work runs in the order it was
    /// queued, always later (never inside this call). Returns false, dropping the work, once the
    /// loop has stopped.
    @discardableResult
    public func execute(_ work: @escaping @Sendable () -> Void) -> Bool {
        lock.withLock {
            guard acceptsWork else { return false }
            pendingWork.append(work)
            // Inside the lock: the handle cannot be closed by stop() while we send.
            uv_async_send(wakeUp)
            return true
        }
    }

    /// Like `execute(_:)` for work that is not `Sendable`; only from the loop's own thread,
    /// to defer a callback out of the current call stack.
    func deferOnLoop(_ work: @escaping () -> Void) {
        assertInLoopThread()
        let box = UncheckedSendableBox(work)
        execute { box.value() }
    }

    /// Closes every open handle of the loop, then `run()` returns. Safe from any thread;
    /// later calls do nothing.
    public func stop() {
        execute { [self] in stopOnLoop() }
    }

    private func stopOnLoop() {
        lock.withLock { acceptsWork = false }
        for handle in Array(openHandles.values) {
            handle.close()
        }
        if !wakeUpClosed {
            wakeUpClosed = true
            uv_close(asHandle(wakeUp), eventLoopWakeUpCloseCallback)
        }
    }

    /// Runs the queued work; called by the wake-up handle on the loop thread.
    fileprivate func runPendingWork() {
        let batch: [@Sendable () -> Void] = lock.withLock {
            let taken = pendingWork
            pendingWork.removeAll(keepingCapacity: true)
            return taken
        }
        for work in batch {
            work()
        }
    }

    // MARK: Threads

    /// True on the thread that runs the loop.
    public var inLoopThread: Bool {
        pthread_equal(pthread_self(), ownerThread) != 0
    }

    /// Traps in debug builds when called off the loop's thread: handles are not thread-safe.
    public func assertInLoopThread(file: StaticString = #fileID, line: UInt = #line) {
        assert(inLoopThread, "called off the event loop's thread", file: file, line: line)
    }

    /// The loop's cached time in milliseconds (`uv_now`), updated once per loop iteration.
    public var nowMilliseconds: UInt64 { uv_now(uvLoop) }

    // MARK: Handle registry

    func register(_ handle: LoopHandle) {
        openHandles[ObjectIdentifier(handle)] = handle
    }

    func unregister(_ handle: LoopHandle) {
        openHandles[ObjectIdentifier(handle)] = nil
    }

    /// The number of open handles (closing ones excluded), not counting the loop's own
    /// wake-up handle. For tests that check nothing is left open (`@testable import`).
    var openHandleCount: Int {
        assertInLoopThread()
        return openHandles.values.filter(\.isOpen).count
    }
}

/// Carries a non-Sendable value across a `@Sendable` boundary where the code guarantees that
/// only the loop thread touches it.
struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Views any libuv handle struct as the common `uv_handle_t` header it starts with.
@inline(__always)
func asHandle<T>(_ pointer: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<uv_handle_t> {
    UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: uv_handle_t.self)
}

private func eventLoopWakeUpCallback(_ async: UnsafeMutablePointer<uv_async_t>?) {
    guard let async, let data = uv_handle_get_data(asHandle(async)) else { return }
    Unmanaged<EventLoop>.fromOpaque(data).takeUnretainedValue().runPendingWork()
}

private func eventLoopWakeUpCloseCallback(_ handle: UnsafeMutablePointer<uv_handle_t>?) {
    guard let handle, let data = uv_handle_get_data(handle) else { return }
    // Work queued between the last wake-up and stop() still runs, so no caller waits forever.
    Unmanaged<EventLoop>.fromOpaque(data).takeUnretainedValue().runPendingWork()
}
