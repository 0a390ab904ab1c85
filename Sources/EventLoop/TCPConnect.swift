internal import CLibUV

extension TCPStream {
    /// Connects to `address`; `completion` runs on the loop with the stream or the error
    /// (`ECONNREFUSED`, `ETIMEDOUT` after `timeout`, ...), always later, never inside this call.
    public static func connect(
        loop: EventLoop, to address: SocketAddress, timeout: Duration? = nil,
        _ completion: @escaping (Result<TCPStream, EventLoopError>) -> Void
    ) {
        loop.assertInLoopThread()
        let stream: TCPStream
        do {
            stream = try TCPStream(loop: loop)
        } catch {
            loop.deferOnLoop { completion(.failure(error)) }
            return
        }
        let request = ConnectRequest(stream: stream, address: address, completion: completion)
        let context = Unmanaged.passRetained(request).toOpaque()
        uv_req_set_data(UnsafeMutableRawPointer(request.request).assumingMemoryBound(to: uv_req_t.self), context)
        let status = address.withSockAddr { socketAddress, _ in
            uv_tcp_connect(request.request, stream.tcp, socketAddress, tcpConnectCallback)
        }
        if status < 0 {
            Unmanaged<ConnectRequest>.fromOpaque(context).release()
            stream.close()
            let error = EventLoopError(code: status, operation: "connect \(address)")
            loop.deferOnLoop { completion(.failure(error)) }
            return
        }
        if let timeout {
            request.armTimeout(timeout, loop: loop)
        }
    }
}

/// One `uv_connect_t` with the stream being connected, its deadline and the completion.
final class ConnectRequest {
    let request = UnsafeMutablePointer<uv_connect_t>.allocate(capacity: 1)
    let stream: TCPStream
    let address: SocketAddress
    let completion: (Result<TCPStream, EventLoopError>) -> Void
    private var timer: LoopTimer?
    private var timedOut = false
    /// Why the deadline could not be armed; the connect then fails with this error.
    private var armError: EventLoopError?

    init(
        stream: TCPStream, address: SocketAddress,
        completion: @escaping (Result<TCPStream, EventLoopError>) -> Void
    ) {
        self.stream = stream
        self.address = address
        self.completion = completion
    }

    deinit { request.deallocate() }

    /// Closing the stream at the deadline makes libuv finish the connect with ECANCELED,
    /// which `finish` reports as ETIMEDOUT. A deadline that cannot be armed fails the connect
    /// (closing the stream the same way) rather than leave it without one.
    func armTimeout(_ timeout: Duration, loop: EventLoop) {
        let timer: LoopTimer
        do {
            timer = try LoopTimer(loop: loop)
        } catch {
            armError = error
            stream.close()
            return
        }
        self.timer = timer
        timer.start(after: timeout) { [unowned self] in
            timedOut = true
            stream.close()
        }
    }

    fileprivate func finish(status: Int32) {
        timer?.close()
        timer = nil
        if status < 0 {
            stream.close()
            if let armError {
                completion(.failure(armError))
                return
            }
            let code = timedOut ? Int32(UV_ETIMEDOUT.rawValue) : status
            completion(.failure(EventLoopError(code: code, operation: "connect \(address)")))
        } else {
            completion(.success(stream))
        }
    }
}

private func tcpConnectCallback(_ request: UnsafeMutablePointer<uv_connect_t>?, _ status: Int32) {
    guard let request,
        let data = uv_req_get_data(UnsafeRawPointer(request).assumingMemoryBound(to: uv_req_t.self))
    else { return }
    Unmanaged<ConnectRequest>.fromOpaque(data).takeRetainedValue().finish(status: status)
}
