import EventLoop
import TLS

/// A TLS connection whose server was checked as the policy required, with its report. Reads and
/// writes hop onto the connector's event loop.
public final class DANEConnection: @unchecked Sendable {
    public let report: HostReport
    /// The SMTP greeting received before STARTTLS, if any.
    public let greeting: [UInt8]?
    private let stream: TLSStream
    private let loop: EventLoop
    /// Touched only on `loop`.
    private var received: [UInt8] = []
    private var ended = false
    private var failure: String?
    private var waiter: CheckedContinuation<[UInt8]?, Never>?

    init(session: UpstreamSession, report: HostReport, loop: EventLoop) {
        self.report = report
        self.greeting = session.greeting
        self.stream = session.stream
        self.loop = loop
        _ = loop.execute { [self] in
            stream.onEvent = { [self] event in
                switch event {
                case .data(let bytes): received.append(contentsOf: bytes)
                case .endOfStream: ended = true
                case .error(let error):
                    failure = "\(error)"
                    ended = true
                }
                wake()
            }
            stream.startReading()
        }
    }

    /// True when a usable TLSA record authenticated the server.
    public var isAuthenticated: Bool { report.verdict == .pass }

    private func wake() {
        guard let waiter, !received.isEmpty || ended else { return }
        self.waiter = nil
        let bytes = received
        received = []
        waiter.resume(returning: bytes.isEmpty ? nil : bytes)
    }

    /// Sends `bytes` through TLS.
    public func write(_ bytes: [UInt8]) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let accepted = loop.execute { [self] in
                bytes.withUnsafeBytes { stream.write($0) }
                continuation.resume()
            }
            if !accepted { continuation.resume() }
        }
    }

    /// The next bytes from the server; nil once it has closed (or the connection failed).
    /// One reader at a time: a second `read()` while one waits is a programming error.
    public func read() async -> [UInt8]? {
        await withCheckedContinuation { continuation in
            let accepted = loop.execute { [self] in
                waiter = continuation
                wake()
            }
            if !accepted { continuation.resume(returning: nil) }
        }
    }

    /// Closes the connection.
    public func close() {
        _ = loop.execute { [self] in
            stream.onEvent = nil
            stream.close(nil)
            if let waiter {
                self.waiter = nil
                waiter.resume(returning: nil)
            }
        }
    }
}
