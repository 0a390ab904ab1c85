internal import CLibUV
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A UDP socket (`uv_udp_t`): bind, send datagrams to an address, receive datagrams with the
/// sender's address.
public final class UDPSocket: LoopHandle, @unchecked Sendable {
    /// Receives each datagram (valid only during the callback) and its sender.
    public var onDatagram: ((UnsafeRawBufferPointer, SocketAddress) -> Void)?
    /// Receives errors of receiving and of sends made without a completion.
    public var onError: ((EventLoopError) -> Void)?
    private var receiving = false
    /// With `batchReceive`: the socket's own buffer, room for `batchDatagrams` datagrams of
    /// libuv's maximum size, so that one recvmmsg(2) takes several queued datagrams.
    private var batchBuffer: UnsafeMutableRawPointer?
    /// Datagrams taken per recvmmsg(2) with `batchReceive`.
    static let batchDatagrams = 16
    /// libuv's per-datagram slot in a recvmmsg buffer (UV__UDP_DGRAM_MAXSIZE).
    static let batchSlotSize = 64 * 1024

    /// Binds `address` (port 0 picks a free port).
    ///
    /// `reusePort` sets SO_REUSEPORT before the bind, so that several sockets (one per loop)
    /// can bind the same address and port and the kernel spreads datagrams over them; every
    /// socket sharing the port must set it. libuv 1.44 has no flag for it (on Linux its
    /// UV_UDP_REUSEADDR sets SO_REUSEADDR alone), so the socket is made with `uv_udp_init_ex`
    /// in the address's family and the option is set on its descriptor before the bind.
    ///
    /// `batchReceive` reads queued datagrams several at a time with recvmmsg(2)
    /// (`UV_UDP_RECVMMSG`), for a server under load; it costs the socket a buffer of its own
    /// (`batchDatagrams` × 64 KiB) instead of the loop's shared one.
    public init(
        loop: EventLoop, bindTo address: SocketAddress, reusePort: Bool = false, batchReceive: Bool = false
    ) throws(EventLoopError) {
        loop.assertInLoopThread()
        super.init(loop: loop, type: uv_udp_t.self)
        let domain = address.family == .ipv6 ? AF_INET6 : AF_INET
        var initFlags = UInt32(domain)
        if batchReceive {
            initFlags |= UInt32(UV_UDP_RECVMMSG.rawValue)
            batchBuffer = .allocate(byteCount: Self.batchDatagrams * Self.batchSlotSize, alignment: 16)
        }
        try EventLoopError.check(uv_udp_init_ex(loop.uvLoop, udp, initFlags), "uv_udp_init_ex")
        didInitialize()
        if reusePort {
            do {
                try setReusePort()
            } catch {
                close()
                throw error
            }
        }
        let flags = address.family == .ipv6 ? UInt32(UV_UDP_IPV6ONLY.rawValue) : 0
        let status = address.withSockAddr { socketAddress, _ in uv_udp_bind(udp, socketAddress, flags) }
        if status < 0 {
            close()
            throw EventLoopError(code: status, operation: "bind \(address)")
        }
    }

    var udp: UnsafeMutablePointer<uv_udp_t> { pointer(as: uv_udp_t.self) }

    private func setReusePort() throws(EventLoopError) {
        var descriptor: uv_os_fd_t = -1
        try EventLoopError.check(uv_fileno(asHandle(udp), &descriptor), "uv_fileno")
        var one: Int32 = 1
        if setsockopt(descriptor, SOL_SOCKET, SO_REUSEPORT, &one, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            throw EventLoopError(errno: errno, operation: "SO_REUSEPORT")
        }
    }

    public func localAddress() throws(EventLoopError) -> SocketAddress {
        try SocketAddress.read("getsockname") { uv_udp_getsockname(udp, $0, $1) }
    }

    /// Starts delivering datagrams to `onDatagram`.
    public func startReceiving() throws(EventLoopError) {
        loop.assertInLoopThread()
        guard isOpen, !receiving else { return }
        try EventLoopError.check(uv_udp_recv_start(udp, udpAllocCallback, udpReceiveCallback), "recv start")
        receiving = true
    }

    public func stopReceiving() {
        loop.assertInLoopThread()
        guard isOpen, receiving else { return }
        uv_udp_recv_stop(udp)
        receiving = false
    }

    /// Sends one datagram. Sent at once when the socket has room; otherwise the bytes are
    /// copied and queued. `completion` (or `onError` without one) hears of failures.
    public func send(
        _ bytes: UnsafeRawBufferPointer, to address: SocketAddress,
        completion: ((EventLoopError?) -> Void)? = nil
    ) {
        loop.assertInLoopThread()
        guard isOpen else {
            let error = EventLoopError(code: Int32(UV_EBADF.rawValue), operation: "send on closed socket")
            if let completion { loop.deferOnLoop { completion(error) } }
            return
        }
        var buffer = uv_buf_init(
            UnsafeMutablePointer(mutating: bytes.baseAddress?.assumingMemoryBound(to: CChar.self)),
            UInt32(bytes.count))
        let sent = address.withSockAddr { socketAddress, _ in uv_udp_try_send(udp, &buffer, 1, socketAddress) }
        if sent >= 0 {
            if let completion { loop.deferOnLoop { completion(nil) } }
            return
        }
        guard sent == Int32(UV_EAGAIN.rawValue) else {
            report(EventLoopError(code: sent, operation: "send to \(address)"), completion)
            return
        }
        let request = UDPSendRequest(socket: self, bytes: bytes, completion: completion)
        let context = Unmanaged.passRetained(request).toOpaque()
        uv_req_set_data(UnsafeMutableRawPointer(request.request).assumingMemoryBound(to: uv_req_t.self), context)
        var queued = uv_buf_init(request.buffer.assumingMemoryBound(to: CChar.self), UInt32(bytes.count))
        let status = address.withSockAddr { socketAddress, _ in
            uv_udp_send(request.request, udp, &queued, 1, socketAddress, udpSendCallback)
        }
        if status < 0 {
            Unmanaged<UDPSendRequest>.fromOpaque(context).release()
            report(EventLoopError(code: status, operation: "send to \(address)"), completion)
        }
    }

    /// Sends one datagram from an array.
    public func send(_ bytes: [UInt8], to address: SocketAddress, completion: ((EventLoopError?) -> Void)? = nil) {
        bytes.withUnsafeBytes { send($0, to: address, completion: completion) }
    }

    private func report(_ error: EventLoopError, _ completion: ((EventLoopError?) -> Void)?) {
        loop.deferOnLoop { [self] in
            if let completion {
                completion(error)
            } else if isOpen {
                onError?(error)
            }
        }
    }

    fileprivate func didReceive(_ count: Int, _ base: UnsafeMutablePointer<CChar>?, _ sender: UnsafePointer<sockaddr>?) {
        if count < 0 {
            onError?(EventLoopError(code: Int32(count), operation: "receive"))
            return
        }
        // count 0 with no sender means "nothing more to read now" (or, after a recvmmsg batch,
        // that its buffer is free); with a sender it is an empty datagram.
        guard isOpen, let sender, let address = SocketAddress(sender) else { return }
        onDatagram?(UnsafeRawBufferPointer(start: base, count: count), address)
    }

    fileprivate func sendDidComplete(_ status: Int32, _ completion: ((EventLoopError?) -> Void)?) {
        let error = status < 0 ? EventLoopError(code: status, operation: "send") : nil
        if let completion {
            completion(error)
        } else if let error, !error.isCancelled, isOpen {
            onError?(error)
        }
    }

    override func willClose() {
        // Stopping clears libuv's read callback, which also ends a recvmmsg batch that is
        // being handed out when a datagram's handler closes the socket.
        if receiving { uv_udp_recv_stop(udp) }
        receiving = false
    }

    override func didClose() {
        onDatagram = nil
        onError = nil
    }

    deinit {
        // libuv is done with the buffer: the socket outlives its close callback.
        batchBuffer?.deallocate()
    }

    /// The buffer libuv reads into: the socket's own with `batchReceive`, else the loop's.
    fileprivate func receiveBuffer() -> uv_buf_t {
        if let batchBuffer {
            return uv_buf_init(
                batchBuffer.assumingMemoryBound(to: CChar.self), UInt32(Self.batchDatagrams * Self.batchSlotSize))
        }
        return uv_buf_init(loop.readBuffer.assumingMemoryBound(to: CChar.self), UInt32(EventLoop.readBufferSize))
    }
}

/// One queued `uv_udp_send_t` and the copy of its bytes.
private final class UDPSendRequest {
    let request = UnsafeMutablePointer<uv_udp_send_t>.allocate(capacity: 1)
    let buffer: UnsafeMutableRawPointer
    let socket: UDPSocket
    let completion: ((EventLoopError?) -> Void)?

    init(socket: UDPSocket, bytes: UnsafeRawBufferPointer, completion: ((EventLoopError?) -> Void)?) {
        self.socket = socket
        self.completion = completion
        buffer = .allocate(byteCount: max(bytes.count, 1), alignment: 16)
        if let base = bytes.baseAddress { buffer.copyMemory(from: base, byteCount: bytes.count) }
    }

    deinit {
        buffer.deallocate()
        request.deallocate()
    }
}

private func udpAllocCallback(
    _ handle: UnsafeMutablePointer<uv_handle_t>?, _ suggestedSize: Int, _ buffer: UnsafeMutablePointer<uv_buf_t>?
) {
    guard let buffer, let socket = loopHandleObject(handle, as: UDPSocket.self) else { return }
    buffer.pointee = socket.receiveBuffer()
}

private func udpReceiveCallback(
    _ handle: UnsafeMutablePointer<uv_udp_t>?, _ count: Int, _ buffer: UnsafePointer<uv_buf_t>?,
    _ sender: UnsafePointer<sockaddr>?, _ flags: UInt32
) {
    loopHandleObject(handle, as: UDPSocket.self)?.didReceive(count, buffer?.pointee.base, sender)
}

private func udpSendCallback(_ request: UnsafeMutablePointer<uv_udp_send_t>?, _ status: Int32) {
    guard let request,
        let data = uv_req_get_data(UnsafeRawPointer(request).assumingMemoryBound(to: uv_req_t.self))
    else { return }
    let send = Unmanaged<UDPSendRequest>.fromOpaque(data).takeRetainedValue()
    send.socket.sendDidComplete(status, send.completion)
}
