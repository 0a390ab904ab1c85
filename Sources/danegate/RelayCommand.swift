import ArgumentParser
import EventLoop
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `danegate relay`: a plain TCP relay (no TLS), with backpressure and half-close.
struct RelayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "Relay plain TCP from an accept address to a connect address.",
        discussion: "Prints 'LISTEN <address>:<port>' once listening (useful with port 0).")

    @Option(help: "Address to listen on, e.g. 127.0.0.1:8025 or [::1]:0.")
    var accept: String

    @Option(help: "Address to connect each client to, e.g. 127.0.0.1:25.")
    var connect: String

    @Option(help: "Seconds to wait for the connect address to accept.")
    var connectTimeout: Int = 10

    @Option(help: "Close a relay after this many seconds without traffic (default: never).")
    var idleTimeout: Int?

    func validate() throws {
        guard connectTimeout > 0 else { throw ValidationError("--connect-timeout must be positive") }
        if let idleTimeout, idleTimeout <= 0 { throw ValidationError("--idle-timeout must be positive") }
    }

    func run() throws {
        let acceptAddress = try SocketAddress(parsing: accept)
        let connectAddress = try SocketAddress(parsing: connect)
        let loop = try EventLoop()
        let forwarder = try TCPForwarder(loop: loop, accept: acceptAddress, connect: connectAddress)
        forwarder.connectTimeout = .seconds(connectTimeout)
        forwarder.idleTimeout = idleTimeout.map { .seconds($0) }
        forwarder.onConnectFailed = { error in
            printToStandardError("relay: cannot connect to \(connectAddress): \(error)")
        }
        forwarder.onAcceptError = { error in
            printToStandardError("relay: accept on \(acceptAddress): \(error)")
        }
        var watchers: [SignalWatcher] = []
        for signal in [SIGINT, SIGTERM] {
            watchers.append(try SignalWatcher(loop: loop, signal: signal) { loop.stop() })
        }
        print("LISTEN \(forwarder.localAddress)")
        fflush(nil)  // tests wait for this line on a pipe
        loop.run()
        _ = watchers
    }
}

func printToStandardError(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
