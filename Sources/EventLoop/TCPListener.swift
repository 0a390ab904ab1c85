internal import CLibUV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A listening TCP socket that hands each accepted connection to `onConnection`.
///
/// The listener makes its own socket and calls accept(2) itself under a `uv_poll_t`, rather
/// than using `uv_listen`, for two reasons: SO_REUSEPORT must be set before bind (libuv 1.44
/// has no flag for it), and libuv's listen cannot be paused. When accept fails for lack of
/// descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM) the listener stops polling for a
/// back-off that starts at `initialAcceptBackoff` and doubles up to `maxAcceptBackoff` while the
/// failures go on, instead of spinning on a connection it cannot take. With a
/// `connectionBudget` a connection is counted before accept(2): at the limit the listener
/// stops polling and the next client waits in the kernel's backlog until a connection ends.
public final class TCPListener: LoopHandle, @unchecked Sendable {
    /// The bound address, with the port the kernel chose for port 0.
    public let localAddress: SocketAddress
    /// How long to stop accepting after the first failure for lack of descriptors or memory.
    public var initialAcceptBackoff: Duration = .milliseconds(5)
    /// The longest back-off: each failure in a row doubles it up to this.
    public var maxAcceptBackoff: Duration = .seconds(1)
    /// The back-off after the next failure; back to `initialAcceptBackoff` once accept works.
    private var nextAcceptBackoff: Duration?
    /// Counts this listener's connections with those of other listeners (on any loop); the
    /// owner gives each accepted connection's place back (`give()`) when it ends.
    public var connectionBudget: ConnectionBudget?
    /// True while paused because `connectionBudget` is used up.
    private var pausedByBudget = false
    /// Reports accept errors (after each the listener keeps going, or backs off).
    public var onAcceptError: ((EventLoopError) -> Void)?

    private let descriptor: Int32
    private var onConnection: ((TCPStream) -> Void)?
    private var backoffTimer: LoopTimer?
    /// False while paused or backing off after EMFILE and the like.
    public private(set) var isAccepting = false
    /// Set by `pauseAccepting()`; the backoff timer does not undo it.
    private var pausedByOwner = false
    /// Connections taken per poll wake-up, so one busy listener cannot starve the loop.
    private static let acceptsPerWakeUp = 64

    /// The accept call; tests replace it to simulate EMFILE. Returns a descriptor or -errno.
    var acceptCall: (Int32) -> Int32 = { listening in
        // accept4 is not visible to Swift without _GNU_SOURCE; uv_tcp_open sets O_NONBLOCK.
        let accepted = accept(listening, nil, nil)
        if accepted < 0 { return -errno }
        _ = fcntl(accepted, F_SETFD, FD_CLOEXEC)
        return accepted
    }

    /// Binds `address` (port 0 picks a free port), listens and starts accepting.
    /// `reusePort` sets SO_REUSEPORT so several loops can each listen on the same port.
    public init(
        loop: EventLoop, address: SocketAddress, reusePort: Bool = false, backlog: Int32 = 511,
        onConnection: @escaping (TCPStream) -> Void
    ) throws(EventLoopError) {
        loop.assertInLoopThread()
        let descriptor = try TCPListener.makeListeningSocket(address, reusePort: reusePort, backlog: backlog)
        let bound: SocketAddress
        do {
            bound = try SocketAddress.read("getsockname") { address, length in
                var socketLength = socklen_t(length.pointee)
                let status = getsockname(descriptor, address, &socketLength)
                length.pointee = Int32(socketLength)
                return status == 0 ? 0 : -errno
            }
        } catch {
            systemClose(descriptor)
            throw error
        }
        self.descriptor = descriptor
        self.localAddress = bound
        self.onConnection = onConnection
        super.init(loop: loop, type: uv_poll_t.self)
        let status = uv_poll_init_socket(loop.uvLoop, pointer(as: uv_poll_t.self), uv_os_sock_t(descriptor))
        if status < 0 {
            systemClose(descriptor)
            throw EventLoopError(code: status, operation: "uv_poll_init_socket")
        }
        didInitialize()
        do {
            try startPolling()
        } catch {
            close()  // the descriptor goes in the close callback
            throw error
        }
    }

    private static func makeListeningSocket(
        _ address: SocketAddress, reusePort: Bool, backlog: Int32
    ) throws(EventLoopError) -> Int32 {
        let family = address.family == .ipv4 ? AF_INET : AF_INET6
        #if canImport(Glibc)
        let socketType = Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
        #else
        let socketType = SOCK_STREAM
        #endif
        let descriptor = socket(family, socketType, 0)
        if descriptor < 0 { throw EventLoopError(errno: errno, operation: "socket") }
        func fail(_ operation: String) -> EventLoopError {
            let error = EventLoopError(errno: errno, operation: operation)
            systemClose(descriptor)
            return error
        }
        var one: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        if setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, size) != 0 { throw fail("SO_REUSEADDR") }
        if reusePort, setsockopt(descriptor, SOL_SOCKET, SO_REUSEPORT, &one, size) != 0 {
            throw fail("SO_REUSEPORT")
        }
        // An IPv6 listener takes IPv6 only; IPv4 gets its own listener.
        if address.family == .ipv6,
            setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, size) != 0
        {
            throw fail("IPV6_V6ONLY")
        }
        let bound = address.withSockAddr { bind(descriptor, $0, $1) }
        if bound != 0 { throw fail("bind \(address)") }
        if listen(descriptor, backlog) != 0 { throw fail("listen \(address)") }
        return descriptor
    }

    private func startPolling() throws(EventLoopError) {
        try EventLoopError.check(
            uv_poll_start(pointer(as: uv_poll_t.self), Int32(UV_READABLE.rawValue), tcpListenerPollCallback),
            "uv_poll_start")
        isAccepting = true
    }

    fileprivate func acceptPending(status: Int32) {
        if status < 0 {
            onAcceptError?(EventLoopError(code: status, operation: "poll listener"))
            return
        }
        for _ in 0..<TCPListener.acceptsPerWakeUp {
            // The owner may pause from inside `onConnection` (a connection limit reached):
            // the rest of the batch then waits in the backlog.
            guard isOpen, !pausedByOwner else { return }
            // The place is taken before accept(2): at the limit the client stays in the backlog.
            if let budget = connectionBudget, !budget.take(orWake: self) {
                pauseForBudget()
                return
            }
            let result = acceptCall(descriptor)
            if result >= 0 {
                nextAcceptBackoff = nil
                adopt(result)
                continue
            }
            connectionBudget?.give()
            switch -result {
            case EAGAIN, EWOULDBLOCK:
                return
            case EINTR, ECONNABORTED, EPROTO:
                continue  // this connection died before we took it; the next may be fine
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                backOff()
                onAcceptError?(EventLoopError(errno: -result, operation: "accept"))
                return
            default:
                onAcceptError?(EventLoopError(errno: -result, operation: "accept"))
                return
            }
        }
    }

    private func adopt(_ accepted: Int32) {
        do {
            let stream = try TCPStream(loop: loop, adopting: accepted)
            onConnection?(stream)
        } catch {
            systemClose(accepted)
            connectionBudget?.give()
            onAcceptError?(error)
        }
    }

    /// Stops polling, and polls again after the current back-off, which doubles for the next
    /// failure (5 ms, 10 ms, ... up to 1 s by default).
    private func backOff() {
        uv_poll_stop(pointer(as: uv_poll_t.self))
        isAccepting = false
        let delay = nextAcceptBackoff ?? initialAcceptBackoff
        nextAcceptBackoff = min(delay * 2, maxAcceptBackoff)
        do {
            let timer = try backoffTimer ?? LoopTimer(loop: loop)
            backoffTimer = timer
            timer.start(after: delay) { [weak self] in
                guard let self, self.isOpen, !self.pausedByOwner, !self.pausedByBudget else { return }
                do {
                    try self.startPolling()
                } catch let error as EventLoopError {
                    self.onAcceptError?(error)
                } catch {}
            }
        } catch let error as EventLoopError {
            // No timer (no descriptors even for that): poll again at once rather than go deaf.
            onAcceptError?(error)
            try? startPolling()
        } catch {}
    }

    /// Stops taking connections (they wait in the kernel's backlog), for instance while a
    /// connection limit is reached.
    public func pauseAccepting() {
        loop.assertInLoopThread()
        pausedByOwner = true
        guard isOpen, isAccepting else { return }
        uv_poll_stop(pointer(as: uv_poll_t.self))
        isAccepting = false
    }

    /// Takes connections again after `pauseAccepting()`.
    public func resumeAccepting() throws(EventLoopError) {
        loop.assertInLoopThread()
        pausedByOwner = false
        guard isOpen, !isAccepting, !pausedByBudget else { return }
        backoffTimer?.cancel()
        try startPolling()
    }

    private func pauseForBudget() {
        pausedByBudget = true
        guard isAccepting else { return }
        uv_poll_stop(pointer(as: uv_poll_t.self))
        isAccepting = false
    }

    /// The budget has room again (called on this listener's loop, see `ConnectionBudget`).
    func budgetHasRoom() {
        loop.assertInLoopThread()
        guard pausedByBudget else { return }
        pausedByBudget = false
        guard isOpen, !isAccepting, !pausedByOwner else { return }
        backoffTimer?.cancel()
        do {
            try startPolling()
        } catch {
            onAcceptError?(error)
        }
    }

    override func willClose() {
        isAccepting = false
        connectionBudget?.forget(self)
        backoffTimer?.close()
        backoffTimer = nil
    }

    override func didClose() {
        // libuv no longer watches the descriptor once the poll handle is closed.
        systemClose(descriptor)
        onConnection = nil
        onAcceptError = nil
    }
}

private func tcpListenerPollCallback(_ poll: UnsafeMutablePointer<uv_poll_t>?, _ status: Int32, _ events: Int32) {
    loopHandleObject(poll, as: TCPListener.self)?.acceptPending(status: status)
}
