// Bulk TLS throughput: the TLS engine on memory BIOs versus OpenSSL reading and writing the
// socket itself (SSL_set_fd). Both sides run on loopback TCP in one process, blocking sockets,
// one thread each; the server sends N MiB of application data to the client. Prints figures.
// Usage: TLSBIOBenchmark [MiB per run] [runs]
internal import CLibUV
internal import COpenSSL
import EventLoop
import Foundation
import TLS

let megabytes = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 512
let runs = CommandLine.arguments.dropFirst(2).first.flatMap(Int.init) ?? 3
let total = megabytes << 20
let chunkSize = 64 * 1024

// MARK: PKI (openssl CLI)

let folder = NSTemporaryDirectory() + "danegate-tlsbench-\(getpid())"
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: folder) }
let certificatePath = folder + "/cert.pem"
let keyPath = folder + "/key.pem"
let generate = Process()
generate.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
generate.arguments = [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", keyPath,
    "-out", certificatePath, "-subj", "/CN=bench.example", "-days", "2",
]
generate.standardError = FileHandle.nullDevice
try generate.run()
generate.waitUntilExit()

// MARK: Sockets

func loopbackListener() -> (Int32, UInt16) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            precondition(bind(fd, $0, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &length) == 0)
        }
    }
    return (fd, UInt16(bigEndian: address.sin_port))
}

func connectLoopback(_ port: UInt16) -> Int32 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            precondition(connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0)
        }
    }
    return fd
}

func sendAll(_ fd: Int32, _ bytes: [UInt8]) {
    var offset = 0
    while offset < bytes.count {
        let sent = bytes.withUnsafeBytes {
            send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
        }
        if sent <= 0 { return }
        offset += sent
    }
}

/// CPU time of the calling thread, to compare receivers even when the sender is the bottleneck.
func threadCPU() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

// MARK: Engine on memory BIOs

let serverContext = try TLSContext(.server(identity: .files(certificateChain: certificatePath, privateKey: keyPath)))
let clientContext = try TLSContext(.client())

func handshake(_ session: TLSSession, _ fd: Int32) {
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let progress = session.handshake()
        sendAll(fd, session.takeCiphertext())
        guard progress == .needMoreData else { return }
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count <= 0 { session.feedEndOfStream() } else { session.feed(Array(buffer.prefix(count))) }
    }
}

func runEngine() -> Double {
    let (listener, port) = loopbackListener()
    defer { close(listener) }
    let server = Thread {
        let fd = accept(listener, nil, nil)
        defer { close(fd) }
        guard let session = try? TLSSession(server: serverContext) else { return }
        handshake(session, fd)
        let chunk = [UInt8](repeating: 0x5a, count: chunkSize)
        var sent = 0
        while sent < total {
            try? session.write(chunk)
            session.withPendingCiphertext { pending in
                var offset = 0
                while offset < pending.count {
                    let n = send(fd, pending.baseAddress! + offset, pending.count - offset, Int32(MSG_NOSIGNAL))
                    if n <= 0 { return }
                    offset += n
                }
            }
            sent += chunk.count
        }
        session.close()
        sendAll(fd, session.takeCiphertext())
    }
    server.start()
    let fd = connectLoopback(port)
    defer { close(fd) }
    guard let session = try? TLSSession(client: clientContext, options: TLSClientOptions(enforcement: .reportOnly))
    else {
        return 0
    }
    handshake(session, fd)
    let start = now()
    var received = 0
    var buffer = [UInt8](repeating: 0, count: 256 * 1024)
    let plaintext = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    defer { plaintext.deallocate() }
    while received < total {
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count <= 0 { break }
        buffer.withUnsafeBytes { session.feed(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        reading: while true {
            switch try? session.readPlaintext(into: plaintext) {
            case .bytes(let n)?: received += n
            default: break reading
            }
        }
    }
    let elapsed = now() - start
    precondition(received == total, "engine received \(received) of \(total)")
    return elapsed
}

// MARK: OpenSSL on the socket itself

func rawContext(server: Bool, readAhead: Bool) -> OpaquePointer {
    let context = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method())!
    if readAhead {
        // Fewer read(2) calls: OpenSSL reads as much as fits instead of header, then body.
        _ = SSL_CTX_ctrl(context, SSL_CTRL_SET_READ_AHEAD, 1, nil)
        SSL_CTX_set_default_read_buffer_len(context, 256 * 1024)
    }
    _ = COpenSSL_SSL_CTX_set_min_proto_version(context, 0x0303)
    _ = COpenSSL_SSL_CTX_set_mode(context, Int(SSL_MODE_RELEASE_BUFFERS))
    if server {
        precondition(SSL_CTX_use_certificate_chain_file(context, certificatePath) == 1)
        precondition(SSL_CTX_use_PrivateKey_file(context, keyPath, SSL_FILETYPE_PEM) == 1)
    }
    return context
}

struct UncheckedPointer: @unchecked Sendable { let value: OpaquePointer }
let rawServerContext = UncheckedPointer(value: rawContext(server: true, readAhead: false))
let rawClientContext = UncheckedPointer(value: rawContext(server: false, readAhead: false))
let rawClientContextReadAhead = UncheckedPointer(value: rawContext(server: false, readAhead: true))

func runDirect(readAhead: Bool) -> Double {
    let (listener, port) = loopbackListener()
    defer { close(listener) }
    let server = Thread {
        let fd = accept(listener, nil, nil)
        defer { close(fd) }
        let ssl = SSL_new(rawServerContext.value)!
        defer { SSL_free(ssl) }
        SSL_set_fd(ssl, fd)
        guard SSL_accept(ssl) == 1 else { return }
        let chunk = [UInt8](repeating: 0x5a, count: chunkSize)
        var sent = 0
        while sent < total {
            let written = chunk.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
            if written <= 0 { return }
            sent += Int(written)
        }
        SSL_shutdown(ssl)
    }
    server.start()
    let fd = connectLoopback(port)
    defer { close(fd) }
    let ssl = SSL_new(readAhead ? rawClientContextReadAhead.value : rawClientContext.value)!
    defer { SSL_free(ssl) }
    SSL_set_fd(ssl, fd)
    precondition(SSL_connect(ssl) == 1)
    let start = now()
    var received = 0
    var buffer = [UInt8](repeating: 0, count: 256 * 1024)
    while received < total {
        let count = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
        if count <= 0 { break }
        received += Int(count)
    }
    let elapsed = now() - start
    precondition(received == total, "direct received \(received) of \(total)")
    return elapsed
}

// MARK: Report

var engineTimes: [Double] = []
var directTimes: [Double] = []
var readAheadTimes: [Double] = []
for _ in 0..<runs {
    engineTimes.append(runEngine())
    directTimes.append(runDirect(readAhead: false))
    readAheadTimes.append(runDirect(readAhead: true))
}
func rate(_ seconds: Double) -> Double { Double(megabytes) / seconds }
let engineBest = rate(engineTimes.min() ?? 1)
let directBest = rate(directTimes.min() ?? 1)
let engineMedian = rate(engineTimes.sorted()[engineTimes.count / 2])
let directMedian = rate(directTimes.sorted()[directTimes.count / 2])
print("TLS bulk transfer, \(megabytes) MiB per run, \(runs) runs, loopback, one thread per side")
print(String(format: "memory BIOs (TLSSession): best %.0f MiB/s, median %.0f MiB/s", engineBest, engineMedian))
print(String(format: "socket fd (SSL_set_fd):   best %.0f MiB/s, median %.0f MiB/s", directBest, directMedian))
let readAheadBest = rate(readAheadTimes.min() ?? 1)
let readAheadMedian = rate(readAheadTimes.sorted()[readAheadTimes.count / 2])
print(String(format: "socket fd + read-ahead:   best %.0f MiB/s, median %.0f MiB/s", readAheadBest, readAheadMedian))
print(
    String(
        format: "ratio memory/fd (best): %.2f, memory/fd+read-ahead: %.2f", engineBest / directBest,
        engineBest / readAheadBest))

// MARK: On the event loop: TLSStream (memory BIOs) versus uv_poll + SSL_read on the fd

/// The sending side for the loop runs: plain OpenSSL on a blocking socket in its own thread,
/// identical for both receivers.
func startRawSender(_ listener: Int32) {
    Thread {
        let fd = accept(listener, nil, nil)
        defer { close(fd) }
        let ssl = SSL_new(rawServerContext.value)!
        defer { SSL_free(ssl) }
        SSL_set_fd(ssl, fd)
        guard SSL_accept(ssl) == 1 else { return }
        let chunk = [UInt8](repeating: 0x5a, count: chunkSize)
        var sent = 0
        while sent < total {
            let written = chunk.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
            if written <= 0 { return }
            sent += Int(written)
        }
        SSL_shutdown(ssl)
    }.start()
}

final class LoopRun {
    var received = 0
    var start = 0.0
    var end = 0.0
    var cpuStart = 0.0
    var cpuEnd = 0.0
}

/// Receiver CPU seconds per GiB, per run.
nonisolated(unsafe) var loopEngineCPU: [Double] = []
nonisolated(unsafe) var loopDirectCPU: [Double] = []
nonisolated(unsafe) var loopReadAheadCPU: [Double] = []

func runLoopEngine() -> Double {
    let (listener, port) = loopbackListener()
    defer { close(listener) }
    startRawSender(listener)
    guard let loop = try? EventLoop(), let address = try? SocketAddress(host: "127.0.0.1", port: port) else { return 0 }
    let run = LoopRun()
    TCPStream.connect(loop: loop, to: address) { result in
        guard case .success(let tcp) = result,
            let session = try? TLSSession(client: clientContext, options: TLSClientOptions(enforcement: .reportOnly))
        else {
            loop.stop()
            return
        }
        let stream = TLSStream(session: session, transport: tcp)
        stream.handshake { _ in
            run.start = now()
            run.cpuStart = threadCPU()
            stream.onEvent = { event in
                if case .data(let bytes) = event {
                    run.received += bytes.count
                    if run.received < total { return }
                }
                run.end = now()
                run.cpuEnd = threadCPU()
                stream.close(nil)
                loop.stop()
            }
            stream.startReading()
        }
    }
    loop.run()
    precondition(run.received == total, "loop engine received \(run.received) of \(total)")
    loopEngineCPU.append((run.cpuEnd - run.cpuStart) / (Double(total) / Double(1 << 30)))
    return run.end - run.start
}

final class PollRun {
    let ssl: OpaquePointer
    let poll: UnsafeMutablePointer<uv_poll_t>
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    var handshakeDone = false
    var received = 0
    var start = 0.0
    var end = 0.0
    var cpuStart = 0.0
    var cpuEnd = 0.0
    init(ssl: OpaquePointer, poll: UnsafeMutablePointer<uv_poll_t>) {
        self.ssl = ssl
        self.poll = poll
    }
    deinit { buffer.deallocate() }

    func finish() {
        end = now()
        cpuEnd = threadCPU()
        uv_poll_stop(poll)
        uv_close(UnsafeMutableRawPointer(poll).assumingMemoryBound(to: uv_handle_t.self), nil)
    }

    func wait(for error: Int32) {
        let events = error == SSL_ERROR_WANT_WRITE ? Int32(UV_WRITABLE.rawValue) : Int32(UV_READABLE.rawValue)
        uv_poll_start(poll, events, pollCallback)
    }

    func ready() {
        if !handshakeDone {
            let result = SSL_do_handshake(ssl)
            if result == 1 {
                handshakeDone = true
                start = now()
                cpuStart = threadCPU()
                wait(for: SSL_ERROR_WANT_READ)
            } else {
                let error = SSL_get_error(ssl, result)
                if error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE { wait(for: error) } else { finish() }
            }
            return
        }
        while true {
            let count = SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))
            if count > 0 {
                received += Int(count)
                if received >= total {
                    finish()
                    return
                }
                continue
            }
            let error = SSL_get_error(ssl, count)
            if error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE {
                wait(for: error)
            } else {
                finish()
            }
            return
        }
    }
}

nonisolated(unsafe) let pollCallback: @convention(c) (UnsafeMutablePointer<uv_poll_t>?, Int32, Int32) -> Void = {
    handle, _, _ in
    guard let handle, let data = uv_handle_get_data(UnsafeRawPointer(handle).assumingMemoryBound(to: uv_handle_t.self))
    else { return }
    Unmanaged<PollRun>.fromOpaque(data).takeUnretainedValue().ready()
}

func runLoopDirect(readAhead: Bool) -> Double {
    let (listener, port) = loopbackListener()
    defer { close(listener) }
    startRawSender(listener)
    let fd = connectLoopback(port)
    defer { close(fd) }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    let ssl = SSL_new(readAhead ? rawClientContextReadAhead.value : rawClientContext.value)!
    defer { SSL_free(ssl) }
    SSL_set_fd(ssl, fd)
    SSL_set_connect_state(ssl)
    let loop = UnsafeMutablePointer<uv_loop_t>.allocate(capacity: 1)
    let poll = UnsafeMutablePointer<uv_poll_t>.allocate(capacity: 1)
    defer {
        loop.deallocate()
        poll.deallocate()
    }
    uv_loop_init(loop)
    uv_poll_init_socket(loop, poll, fd)
    let run = PollRun(ssl: ssl, poll: poll)
    uv_handle_set_data(
        UnsafeMutableRawPointer(poll).assumingMemoryBound(to: uv_handle_t.self),
        Unmanaged.passUnretained(run).toOpaque())
    run.ready()
    uv_run(loop, UV_RUN_DEFAULT)
    uv_loop_close(loop)
    precondition(run.received == total, "poll direct received \(run.received) of \(total)")
    let cpu = (run.cpuEnd - run.cpuStart) / (Double(total) / Double(1 << 30))
    if readAhead { loopReadAheadCPU.append(cpu) } else { loopDirectCPU.append(cpu) }
    return run.end - run.start
}

var loopEngineTimes: [Double] = []
var loopDirectTimes: [Double] = []
var loopReadAheadTimes: [Double] = []
for _ in 0..<runs {
    loopEngineTimes.append(runLoopEngine())
    loopDirectTimes.append(runLoopDirect(readAhead: false))
    loopReadAheadTimes.append(runLoopDirect(readAhead: true))
}
func summary(_ times: [Double]) -> String {
    String(format: "best %.0f MiB/s, median %.0f MiB/s", rate(times.min() ?? 1), rate(times.sorted()[times.count / 2]))
}
print("On a libuv loop (receiver), sender plain OpenSSL in a thread:")
print("TLSStream on TCPStream (memory BIOs): " + summary(loopEngineTimes))
print("uv_poll + SSL_read on the fd:         " + summary(loopDirectTimes))
print("uv_poll + SSL_read, read-ahead:       " + summary(loopReadAheadTimes))
func cpuSummary(_ values: [Double]) -> String {
    String(format: "%.3f", values.sorted()[values.count / 2])
}
print(
    "receiver CPU s/GiB (median): memory BIOs \(cpuSummary(loopEngineCPU)), fd \(cpuSummary(loopDirectCPU)), fd+read-ahead \(cpuSummary(loopReadAheadCPU))"
)
print(
    String(
        format: "ratio memory/fd (median): %.2f, memory/fd+read-ahead: %.2f",
        rate(loopEngineTimes.sorted()[runs / 2]) / rate(loopDirectTimes.sorted()[runs / 2]),
        rate(loopEngineTimes.sorted()[runs / 2]) / rate(loopReadAheadTimes.sorted()[runs / 2])))

// MARK: Memory per idle session

func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    return fields.count > 1 ? (Int(fields[1]) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE))) : 0
}

func establishedPair() -> (TLSSession, TLSSession)? {
    guard let client = try? TLSSession(client: clientContext, options: TLSClientOptions(enforcement: .reportOnly)),
        let server = try? TLSSession(server: serverContext)
    else { return nil }
    for _ in 0..<10 {
        _ = client.handshake()
        server.feed(client.takeCiphertext())
        _ = server.handshake()
        client.feed(server.takeCiphertext())
        if client.isEstablished && server.isEstablished { break }
    }
    // Let the client take the TLS 1.3 tickets, as an idle upstream connection would have.
    _ = try? client.readPlaintext()
    return (client, server)
}

let idleCount = 1000
_ = establishedPair()  // warm up OpenSSL's lazy tables
let before = residentBytes()
var pairs: [(TLSSession, TLSSession)] = []
for _ in 0..<idleCount {
    if let pair = establishedPair() { pairs.append(pair) }
}
let after = residentBytes()
print(
    String(
        format:
            "idle established sessions: %d client+server pairs in memory, %.1f KiB RSS per pair (SSL_MODE_RELEASE_BUFFERS)",
        pairs.count, Double(after - before) / 1024 / Double(max(1, pairs.count))))
